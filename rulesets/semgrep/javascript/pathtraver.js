// Test cases for pathtraver.yaml (annotations as in semgrep --test).
const fs = require("fs");
const path = require("path");

function serve(req, res) {
  // ruleid: javascript.pathtraver.request-data-in-file-path
  fs.readFile(path.join(__dirname, "uploads", req.params.file), (e, d) => res.send(d));
  const name = req.query.name;
  // ruleid: javascript.pathtraver.request-data-in-file-path
  fs.unlinkSync("/tmp/" + name);
  // ruleid: javascript.pathtraver.request-data-in-file-path
  require("fs").writeFileSync(req.body.target, "x");
  // ok: javascript.pathtraver.request-data-in-file-path
  fs.readFile(path.join(__dirname, "uploads", path.basename(req.params.file)), () => {});
  // ok: javascript.pathtraver.request-data-in-file-path
  fs.readFileSync(path.join(__dirname, "config.json"));

  // ruleid: javascript.pathtraver.request-data-in-sendfile
  res.sendFile(path.resolve("ftp/", req.params.file));
  const { file } = req.query;
  // ruleid: javascript.pathtraver.request-data-in-sendfile
  res.download("reports/" + file);
  // ok: javascript.pathtraver.request-data-in-sendfile
  res.sendFile(req.params.file, { root: path.join(__dirname, "public") });
  // ok: javascript.pathtraver.request-data-in-sendfile
  res.sendFile(path.resolve("frontend/dist/index.html"));
}
