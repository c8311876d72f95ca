# Test cases for mixed-script-identifier.yaml (annotations as in semgrep --test).
# Some letters below are Cyrillic or Greek look-alikes of Latin ones.


# ruleid: python.trojansource.mixed-script-identifier
def is_аdmin(user):
    return user.role == "admin"


# ok: python.trojansource.mixed-script-identifier
def is_admin(user):
    return user.role == "admin"


# ruleid: python.trojansource.mixed-script-identifier
if is_аdmin(current_user):
    # ruleid: python.trojansource.mixed-script-identifier
    grant(current_user, cоnfig.level)
# ruleid: python.trojansource.mixed-script-identifier
respοnse = fetch()
# ruleid: python.trojansource.mixed-script-identifier
данныe = 7
# ruleid: python.trojansource.mixed-script-identifier
Pаssword = None
# ok: python.trojansource.mixed-script-identifier
переменная = 1
# ok: python.trojansource.mixed-script-identifier
αβγ = 2
# ok: python.trojansource.mixed-script-identifier
変数の値 = 3
# ok: python.trojansource.mixed-script-identifier
사용자_이름 = 4
# ok: python.trojansource.mixed-script-identifier
get_данные = 5
# ok: python.trojansource.mixed-script-identifier
userИмя = 6
# ok: python.trojansource.mixed-script-identifier
Δt = 0.1
# ok: python.trojansource.mixed-script-identifier
café_crème = 8
# ok: python.trojansource.mixed-script-identifier
label = "pаssword in a string is not an identifier"
# ok: python.trojansource.mixed-script-identifier
# pаssword in a comment is not an identifier
