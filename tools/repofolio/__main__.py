from repofolio.cli import main

main(prog_name="folio")
