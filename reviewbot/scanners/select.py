"""Which scanners a review runs, and the one place they are built (for `scan` and `pr` alike).

    choice = ScannerChoice(names=frozenset(args.scanner or SCANNERS), semgrep=..., engine=...)
    scanners = choice.build(lambda: load_rules(rules_dir), repo=checkout)

Other tools' SARIF files (`--import-sarif`, `--import-sarif-base`) are scanners too, one per tool
(`scanners/sarif_import.py`), built here after ours; `--scanner` chooses among ours only.
The scanner modules are imported only when the scanners are built: choosing costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewbot.scanners.interface import Scanner
    from reviewbot.scanners.rulesets import RuleSet
    from reviewbot.scanners.treesitter import TreeSitterScanner

SCANNERS = ("semgrep", "treesitter")  # every scanner, in the order they run (--scanner's choices)


@dataclass(frozen=True)
class ScannerChoice:
    """The scanners to run and how semgrep runs: `--scanner`, `--semgrep`, `--semgrep-engine`."""

    names: frozenset[str] = frozenset(SCANNERS)
    semgrep: str | None = None  # the semgrep executable; None: the one installed with reviewbot
    engine: str = "auto"  # a `semgrep.Engine` value (--semgrep-engine)
    cache_dir: Path | None = None  # semgrep's per-file results; None: every file is scanned again
    import_sarif: tuple[Path, ...] = ()  # other tools' SARIF on the head (--import-sarif)
    import_sarif_base: tuple[Path, ...] = ()  # the same tools' SARIF on the base (--import-sarif-base)
    # The PR path: a SARIF file that cannot be imported is a note, not the end of the review.
    tolerate_bad_sarif: bool = False

    def build(
        self,
        rules: Callable[[], RuleSet],
        treesitter: TreeSitterScanner | None = None,
        repo: Path | None = None,
        semgrep: Scanner | None = None,
    ) -> list[Scanner]:
        """The chosen scanners, semgrep first, then one per imported tool. `rules` (semgrep's) is
        called only when semgrep is chosen; `treesitter`, `semgrep`: scanners already built
        (`scan` builds the first while git runs, and starts the second on the change before the
        review); `repo`: the checkout imported SARIF paths resolve against (needed only with
        `import_sarif`)."""
        from reviewbot.scanners.treesitter import TreeSitterScanner

        scanners: list[Scanner] = []
        if "semgrep" in self.names:
            scanners.append(semgrep if semgrep is not None else self.semgrep_scanner(rules()))
        if "treesitter" in self.names:
            scanners.append(treesitter if treesitter is not None else TreeSitterScanner())
        if self.import_sarif:
            from reviewbot.scanners.sarif_import import imported_scanners

            if repo is None:
                raise ValueError("importing SARIF needs the repository its paths resolve against")
            base = self.import_sarif_base
            scanners.extend(imported_scanners(self.import_sarif, base, repo, tolerate=self.tolerate_bad_sarif))
        return scanners

    def semgrep_scanner(self, rules: RuleSet) -> Scanner:
        """The semgrep scanner as chosen (engine, executable, cache), on `rules`."""
        from reviewbot.scanners.semgrep import Engine, SemgrepScanner

        return SemgrepScanner(rules, semgrep=self.semgrep, engine=Engine(self.engine), cache_dir=self.cache_dir)
