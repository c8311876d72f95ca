# Test cases for credential-enumeration-messages.yaml (annotations as in semgrep --test).
from app import User


def check_creds(username, password):
    user = User.query.filter_by(username=username).first()
    if user is None:
        # ruleid: python.authn.credential-enumeration-messages
        return False, "Username is invalid"
    if not user.check_password(password):
        return False, "Password Incorrect"
    return True, "ok"


def same_answer(username, password):
    user = User.query.filter_by(username=username).first()
    if user is None or not user.check_password(password):
        # ok: python.authn.credential-enumeration-messages
        return False, "Invalid username or password"
    return True, "ok"


def validate_signup(form):
    errors = []
    if "@" not in form["email"]:
        # ok: python.authn.credential-enumeration-messages
        errors.append("Email is invalid")
    if len(form["password"]) < 12:
        errors.append("Password is invalid: use 12 characters or more")
    return errors


class SessionsView:
    def post(self, request):
        user = User.objects.filter(email=request.POST["email"]).first()
        if not user:
            # ruleid: python.authn.credential-enumeration-messages
            return "Email incorrect!"
        if user.password != request.POST["password"]:
            return "Password incorrect!"
        return "ok"


def sessions_index(request):
    if "email" not in request.POST:
        # ok: python.authn.credential-enumeration-messages
        return "Error: no email inputted"
    try:
        User.authenticate(request.POST["email"], request.POST["password"])
    except LookupError:
        # ruleid: python.authn.credential-enumeration-messages
        return "Email incorrect!"
    except ValueError:
        return "Password incorrect!"
    return "ok"
