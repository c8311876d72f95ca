// Test cases for sqli.yaml (annotations as in semgrep --test).
const mysql = require("mysql");
const connection = mysql.createConnection({});

async function users(req, res, db, sequelize, knex, repo, User) {
  // ruleid: javascript.sqli.sql-built-from-strings
  connection.query("SELECT * FROM users WHERE id = " + req.params.id, (e, rows) => {});
  // ruleid: javascript.sqli.sql-built-from-strings
  await sequelize.query(`SELECT * FROM Products WHERE name LIKE '%${req.query.q}%'`);
  // ruleid: javascript.sqli.sql-built-from-strings
  knex.raw("DELETE FROM sessions WHERE user = '" + req.body.user + "'");
  const sql = "UPDATE accounts SET email = '" + req.body.email + "' WHERE id = 1";
  // ruleid: javascript.sqli.sql-built-from-strings
  db.run(sql);
  // ruleid: javascript.sqli.sql-built-from-strings
  await repo.query(`select * from orders where owner = ${req.user.id}`);
  // ok: javascript.sqli.sql-built-from-strings
  connection.query("SELECT * FROM users WHERE id = ?", [req.params.id]);
  // ok: javascript.sqli.sql-built-from-strings
  await sequelize.query("SELECT * FROM Products WHERE name LIKE :q", { replacements: { q: req.query.q } });
  // ok: javascript.sqli.sql-built-from-strings
  db.get("SELECT count(*) FROM users");
  // ok: javascript.sqli.sql-built-from-strings
  app.get("/api/" + version, handler);

  // ruleid: javascript.sqli.nosql-where-operator
  db.products.find({ $where: "this.name == '" + req.body.name + "'" });
  // ruleid: javascript.sqli.nosql-where-operator
  await User.find().$where(filter);
  // ok: javascript.sqli.nosql-where-operator
  db.products.find({ $where: "this.a > this.b" });

  // ruleid: javascript.sqli.nosql-query-from-request
  await User.findOne({ email: req.body.email, password: req.body.password });
  // ruleid: javascript.sqli.nosql-query-from-request
  db.reviews.update({ _id: req.body.id }, { $set: { message: req.body.message } });
  // ruleid: javascript.sqli.nosql-query-from-request
  await User.find(req.query);
  // ok: javascript.sqli.nosql-query-from-request
  await User.findOne({ email: String(req.body.email) });
  // ok: javascript.sqli.nosql-query-from-request
  await User.findOne({ _id: req.params.id });
}

async function loginByFields(req, User, Item) {
  const { email, password } = req.body;
  // ruleid: javascript.sqli.nosql-query-from-request
  const user = await User.findOne({ email, password });
  const filter = req.query;
  // ruleid: javascript.sqli.nosql-query-from-request
  const items = await Item.find(filter);
  const id = req.body.id;
  // ruleid: javascript.sqli.nosql-query-from-request
  await Item.deleteOne({ _id: id });
  const name = String(req.body.name);
  // ok: javascript.sqli.nosql-query-from-request
  await Item.find({ name });
  // ok: javascript.sqli.nosql-query-from-request
  await Item.find({ owner: user.id });
  return items;
}
