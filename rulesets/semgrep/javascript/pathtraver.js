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

function extractAll(zip, targetPath, overwrite) {
  zip.getEntries().forEach(function (entry) {
    var entryName = entry.entryName.toString();
    if (entry.isDirectory) {
      // ruleid: javascript.pathtraver.archive-entry-in-file-path
      fs.mkdirSync(path.resolve(targetPath, entryName), { recursive: true });
      return;
    }
    // ruleid: javascript.pathtraver.archive-entry-in-file-path
    fs.writeFileSync(path.join(targetPath, entryName), entry.getData());
  });
}

function extractOne(zipfile, entry, dir) {
  // ruleid: javascript.pathtraver.archive-entry-in-file-path
  const dest = path.join(dir, entry.fileName);
  zipfile.openReadStream(entry, (err, stream) => stream.pipe(fs.createWriteStream(dest)));
}

function extractChecked(zip, targetPath) {
  zip.getEntries().forEach(function (entry) {
    // ok: javascript.pathtraver.archive-entry-in-file-path
    var target = path.resolve(targetPath, entry.entryName);
    if (!target.startsWith(path.resolve(targetPath) + path.sep)) throw new Error("outside the folder");
    fs.writeFileSync(target, entry.getData());
  });
}

function extractCheckedInline(zip, targetPath) {
  zip.getEntries().forEach(function (entry) {
    // ok: javascript.pathtraver.archive-entry-in-file-path
    if (!path.resolve(targetPath, entry.entryName).startsWith(targetPath)) throw new Error("outside");
    // ok: javascript.pathtraver.archive-entry-in-file-path
    fs.writeFileSync(path.resolve(targetPath, entry.entryName), entry.getData());
    // ok: javascript.pathtraver.archive-entry-in-file-path
    fs.writeFileSync(path.join(targetPath, path.basename(entry.entryName)), entry.getData());
  });
}
