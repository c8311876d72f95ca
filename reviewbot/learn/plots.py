"""The evaluation plot (eval.png next to card.json): PR curves against baselines, and calibration.

matplotlib is optional (`pip install 'reviewbot[plots]'`); `PlotsUnavailable` says so when it is
missing, and everything else about evaluation works without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reviewbot.errors import ToolError
from reviewbot.learn.calibration import reliability
from reviewbot.learn.metrics import operating_points

INSTALL_HINT = "pip install 'reviewbot[plots]'"


class PlotsUnavailable(ToolError):
    """matplotlib is not installed."""


def write_plot(
    path: Path,
    curves: Mapping[str, Sequence[float]],
    labels: Sequence[int],
    probs: Sequence[float],
    title: str,
) -> None:
    """`curves`: name -> scores on the test rows (the model's first); `probs`: calibrated scores."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotsUnavailable(f"the evaluation plot needs matplotlib: {INSTALL_HINT}") from exc

    fig, (pr, cal) = plt.subplots(1, 2, figsize=(11, 4.6), dpi=90)
    for name, scores in curves.items():
        points = operating_points(scores, labels)
        recall = [0.0] + [p.recall for p in points]
        precision = [points[0].precision if points else 0.0] + [p.precision for p in points]
        pr.step(recall, precision, where="post", label=name, linewidth=2.2 if name == "model" else 1.2)
    pr.set(xlabel="recall (real findings kept)", ylabel="precision", title="precision-recall, held-out test rows")
    pr.set_xlim(0, 1.01)
    pr.set_ylim(0, 1.01)
    pr.legend(loc="lower left", fontsize=8)
    pr.grid(alpha=0.3)
    pts = reliability(probs, labels)
    cal.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect")
    cal.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label="model")
    for mean_p, share, n in pts:
        cal.annotate(str(n), (mean_p, share), textcoords="offset points", xytext=(4, -10), fontsize=7)
    cal.set(xlabel="predicted probability", ylabel="share real", title="calibration (rows per bin)")
    cal.set_xlim(0, 1)
    cal.set_ylim(0, 1.01)
    cal.legend(loc="upper left", fontsize=8)
    cal.grid(alpha=0.3)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
