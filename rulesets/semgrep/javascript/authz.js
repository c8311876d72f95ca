// Test cases for massassign.yaml (annotations as in semgrep --test).
async function register(req, res, User, user) {
  // ruleid: javascript.authz.model-from-request-body
  const created = await User.create(req.body);
  // ruleid: javascript.authz.model-from-request-body
  await User.findByIdAndUpdate(req.params.id, req.body);
  // ruleid: javascript.authz.model-from-request-body
  Object.assign(user, req.body);
  // ok: javascript.authz.model-from-request-body
  await User.create({ name: req.body.name, email: req.body.email });
  // ok: javascript.authz.model-from-request-body
  await User.create(req.body.name);
  return created;
}
