"""A training script that leaks every kind of secret (all fake)."""

import os

GITHUB_TOKEN = "@@GITHUB@@"
aws_access_key_id = "@@AWS_ID@@"
aws_secret_access_key = "@@AWS_SECRET@@"
SLACK = "@@SLACK@@"
WEBHOOK = "@@WEBHOOK@@"
MAPS_KEY = "@@GOOGLE@@"
KEY = """@@PRIVATE@@
MIIEowIBAAKCAQEAfakefakefake
-----END RSA PRIVATE KEY-----"""
db_password = "@@PASSWORD@@"

# Not secrets: a variable, an env lookup, a placeholder.
password = os.environ["DB_PASSWORD"]
api_key = "<your-api-key>"
tokenizer = "bert-base-uncased"
