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

async function prismaRoutes(req, res, prisma, Product, repo) {
  // ruleid: javascript.authz.model-from-request-body
  await prisma.user.create({ data: req.body });
  // ruleid: javascript.authz.model-from-request-body
  await prisma.user.update({ where: { id: req.user.id }, data: { ...req.body } });
  const input = req.body;
  // ruleid: javascript.authz.model-from-request-body
  await Product.update(input, { where: { id: req.params.id } });
  // ruleid: javascript.authz.model-from-request-body
  const entity = new Product(input);
  // ok: javascript.authz.model-from-request-body
  await prisma.user.create({ data: { name: req.body.name } });
  // ok: javascript.authz.model-from-request-body
  await repo.save({ title: input.title });
  return entity;
}
