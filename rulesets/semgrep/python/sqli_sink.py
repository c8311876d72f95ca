# Test cases for sqli_sink.yaml (semgrep --test annotations).
from sqlalchemy import select

from app.models import User


def search(session, term, prefix):
    # ruleid: python.sqli.like-pattern-from-non-constant
    rows = session.query(User).filter(User.name.like(f"%{term}%"))
    # ruleid: python.sqli.like-pattern-from-non-constant
    starts = select(User).where(User.email.ilike(prefix + "%"))
    # ruleid: python.sqli.like-pattern-from-non-constant
    ends = select(User).where(User.email.not_like("%" + term))
    # ruleid: python.sqli.like-pattern-from-non-constant
    old_style = User.name.like("%%%s%%" % term)
    # ruleid: python.sqli.like-pattern-from-non-constant
    upper = User.name.ilike(Upper(f"{term}%"))
    # ruleid: python.sqli.like-pattern-from-non-constant
    asked = User.name.like(f"%{request.args.get('q', '')}%")
    return rows, starts, ends, old_style, upper, asked


def escape_like(value):
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_safely(session, term):
    # ok: python.sqli.like-pattern-from-non-constant
    rows = session.query(User).filter(User.name.like(f"%{escape_like(term)}%", escape="\\"))
    # ok: python.sqli.like-pattern-from-non-constant
    inline = User.name.like("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    # ok: python.sqli.like-pattern-from-non-constant
    contains = User.name.contains(term, autoescape=True)
    # ok: python.sqli.like-pattern-from-non-constant
    constant = User.name.like("admin%")
    # an exact pattern the caller chose (no text put around it) is left to the query's author
    # ok: python.sqli.like-pattern-from-non-constant
    chosen = User.name.like(term)
    # ok: python.sqli.like-pattern-from-non-constant
    numbered = User.code.like(f"{int(term)}-%")
    return rows, inline, contains, constant, chosen, numbered
