// Test cases for mixed-script-identifier.yaml (annotations as in semgrep --test).
// Some letters below are Cyrillic or Greek look-alikes of Latin ones.

// ruleid: javascript.trojansource.mixed-script-identifier
function isАdmin(user) {
  return user.role === "admin";
}

// ok: javascript.trojansource.mixed-script-identifier
function isAdmin(user) {
  return user.role === "admin";
}

// ruleid: javascript.trojansource.mixed-script-identifier
if (isАdmin(currentUser)) {
  // ruleid: javascript.trojansource.mixed-script-identifier
  grant(currentUser, config.levеl);
}
// ruleid: javascript.trojansource.mixed-script-identifier
const respοnse = fetchIt();
// ok: javascript.trojansource.mixed-script-identifier
const переменная = 1;
// ok: javascript.trojansource.mixed-script-identifier
const caféCrème = 8;
// ok: javascript.trojansource.mixed-script-identifier
const label = "pаssword in a string is not an identifier";
// ok: javascript.trojansource.mixed-script-identifier
// pаssword in a comment is not an identifier
