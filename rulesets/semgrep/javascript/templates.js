// Test cases for templates.yaml (annotations as in semgrep --test).
const nunjucks = require("nunjucks");
const swig = require("swig");
const Handlebars = require("handlebars");
const exphbs = require("express-handlebars");
const Mustache = require("mustache");
const ejs = require("ejs");
const _ = require("lodash");

// ruleid: javascript.xss.template-autoescape-disabled
nunjucks.configure("views", { autoescape: false, express: app });
// ruleid: javascript.xss.template-autoescape-disabled
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader("views"), { autoescape: false });
// ruleid: javascript.xss.template-autoescape-disabled
swig.setDefaults({ cache: false, autoescape: false });
// ruleid: javascript.xss.template-autoescape-disabled
const tpl = swig.compile(source, { autoescape: false });
// ok: javascript.xss.template-autoescape-disabled
nunjucks.configure("views", { autoescape: true, express: app });
// ok: javascript.xss.template-autoescape-disabled
swig.setDefaults({ cache: false });
// ok: javascript.xss.template-autoescape-disabled
const row = { autoescape: false };

// ruleid: javascript.xss.handlebars-no-escape
const page = Handlebars.compile(source, { noEscape: true });
// ruleid: javascript.xss.handlebars-no-escape
app.engine("hbs", exphbs.engine({ extname: ".hbs", compilerOptions: { noEscape: true } }));
// ok: javascript.xss.handlebars-no-escape
const safePage = Handlebars.compile(source, { strict: true });
// ok: javascript.xss.handlebars-no-escape
const plain = Handlebars.compile(source, { noEscape: false });

// ruleid: javascript.xss.template-escape-function-identity
Mustache.escape = (text) => text;
// ruleid: javascript.xss.template-escape-function-identity
Mustache.escape = function (value) { return value; };
// ruleid: javascript.xss.template-escape-function-identity
Handlebars.Utils.escapeExpression = String;
// ruleid: javascript.xss.template-escape-function-identity
const html = ejs.render(source, data, { escape: (s) => s });
// ruleid: javascript.xss.template-escape-function-identity
app.set("view options", { escapeFunction: (s) => String(s) });
// ok: javascript.xss.template-escape-function-identity
Mustache.escape = (text) => he.encode(text);
// ok: javascript.xss.template-escape-function-identity
const escaped = ejs.render(source, data, { escape: escapeHtml });
// ok: javascript.xss.template-escape-function-identity
const csv = stringify(rows, { escape: '"' });

// ruleid: javascript.xss.lodash-template-unescaped-interpolation
const item = _.template("<li><%= item.name %></li>");
// ruleid: javascript.xss.lodash-template-unescaped-interpolation
_.templateSettings.interpolate = /{{([\s\S]+?)}}/g;
// ok: javascript.xss.lodash-template-unescaped-interpolation
const escapedItem = _.template("<li><%- item.name %></li>");
// ok: javascript.xss.lodash-template-unescaped-interpolation
const greeting = _.template("hello <%= user %>");

module.exports = { env, tpl, row, page, safePage, plain, html, escaped, csv, item, escapedItem, greeting };
