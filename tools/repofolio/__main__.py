from repofolio.cli import entry

entry()
