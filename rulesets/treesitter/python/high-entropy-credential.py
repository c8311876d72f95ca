# Test cases for high-entropy-credential.yaml (annotations as in semgrep --test).
# Every value below is made up for the tests; none is or was a real credential.
import os

from client import Client, app, config, request_token

# ruleid: python.secrets.high-entropy-credential
API_TOKEN = "Zk3p9QvX7tLm2RbW8yNc"
# ruleid: python.secrets.high-entropy-credential
app.secret_key = "d41f9c7ab28e6035f1c4"
# ruleid: python.secrets.high-entropy-credential
config["AWS_SECRET_ACCESS_KEY"] = "wJ4rXq9Lb7Tn2Vz8Kp5Hs3Dm6Fy1Gc0"
# ruleid: python.secrets.high-entropy-credential
dbPassword: str = "Qe7Lr2Vm9Kx4Tz8Nw3Pb"
SETTINGS = {
    # ruleid: python.secrets.high-entropy-credential
    "client_secret": "Q7mV2xK9pL4tR8wZ3nB6",
    # ok: python.secrets.high-entropy-credential
    "client_id": "Q7mV2xK9pL4tR8wZ3nB6",
}
# ruleid: python.secrets.high-entropy-credential
client = Client(api_key="Hx8Pq2Lm7Vz4Tn9Rk3Wb")


# ruleid: python.secrets.high-entropy-credential
def login(user, password="T9vL2qX7mK4pZ8nR3wB6"):
    return user, password


# ruleid: python.secrets.high-entropy-credential
def connect(token: str = "pR4mX8qL2vT7nK9zW3bH") -> None:
    # ruleid: python.secrets.high-entropy-credential
    if request_token == "Lq8Xv3Tz7Km2Pn9Rw4Hb":
        return


# ruleid: python.secrets.high-entropy-credential
DATABASE_URL = "postgresql://app:Vx7qLm29TzPk@db.internal:5432/app"
# ok: python.secrets.high-entropy-credential
TOKEN_URL = "https://auth.example.com/oauth2/v1/token"
# ok: python.secrets.high-entropy-credential
password = os.environ["DB_PASSWORD"]
# ok: python.secrets.high-entropy-credential
api_key = os.environ.get("API_KEY", "")
# ok: python.secrets.high-entropy-credential
SECRET_ENV = "APP_SECRET_KEY_VARIABLE"
# ok: python.secrets.high-entropy-credential
password_help = "Use at least 12 characters, a Digit and a symbol"
# ok: python.secrets.high-entropy-credential
private_key = "/etc/ssl/private/server-Key-2024.pem"
# ok: python.secrets.high-entropy-credential
api_key = "123e4567-e89b-12d3-a456-426614174000"
# ok: python.secrets.high-entropy-credential
secret = "#a3f2c1"
# ok: python.secrets.high-entropy-credential
api_key = "your-api-key-goes-here-1234"
# ok: python.secrets.high-entropy-credential
password = "aaaaaaaaaaaaaaaaaaaa"
# ok: python.secrets.high-entropy-credential
password = "hunter2"
# ok: python.secrets.high-entropy-credential
token = f"Bearer {os.environ['TOKEN']}xQ9vL2mK7pT4zR8n"
# ok: python.secrets.high-entropy-credential
PASSWORD_HASHER = "django.contrib.auth.hashers.Argon2PasswordHasher"
# ok: python.secrets.high-entropy-credential
secret_name = "prod-Database-master-credentials-2"
# ok: python.secrets.high-entropy-credential
token = "bert-base-multilingual-uncased"
# ok: python.secrets.high-entropy-credential
auth_header_name = "Proxy-Authorization"
# ok: python.secrets.high-entropy-credential
checksum = "Zk3p9QvX7tLm2RbW8yNc"
# ok: python.secrets.high-entropy-credential
tokenizer = "Zk3p9QvX7tLm2RbW8yNc"
# ok: python.secrets.high-entropy-credential
BROKER_URL = "amqp://guest:guest@localhost:5672//"
# ok: python.secrets.high-entropy-credential
TOKEN_ENDPOINT = "https://login.example.com/Zk3p9QvX7tLm2RbW8yNc"
