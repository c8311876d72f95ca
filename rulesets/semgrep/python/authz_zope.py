# Test cases for authz_zope.yaml (annotations as in semgrep --test).
from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from OFS.SimpleItem import SimpleItem

ManageUsers = "Manage users"


class GroupStore(SimpleItem):
    security = ClassSecurityInfo()

    @security.protected(ManageUsers)
    def listGroups(self):
        """Return the group ids."""
        return list(self._groups)

    # ruleid: python.authz.zope-method-without-security-declaration
    def searchGroups(self, query=None, **kw):
        """Find groups and their members."""
        return [g for g in self._groups.values() if query in g["title"]]

    @security.private
    def addGroup(self, group_id):
        """Add a group."""
        self._groups[group_id] = {"title": group_id}

    security.declarePrivate("removeGroup")

    # ok: python.authz.zope-method-without-security-declaration
    def removeGroup(self, group_id):
        """Declared by name above."""
        del self._groups[group_id]

    @security.public
    # ok: python.authz.zope-method-without-security-declaration
    def getId(self):
        """Public on purpose."""
        return self.id

    # ok: python.authz.zope-method-without-security-declaration
    def _members(self, group_id):
        """A leading underscore is never published."""
        return self._groups[group_id]

    # ok: python.authz.zope-method-without-security-declaration
    def count(self):
        return len(self._groups)


InitializeClass(GroupStore)


class Denied(SimpleItem):
    security = ClassSecurityInfo()
    security.setDefaultAccess("deny")

    # ok: python.authz.zope-method-without-security-declaration
    def report(self):
        """Undeclared names of this class are denied."""
        return "x"


class NoDeclarativeSecurity:
    # ok: python.authz.zope-method-without-security-declaration
    def render(self):
        """Not a Zope class with security declarations."""
        return ""
