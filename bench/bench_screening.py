"""`make bench-screening`: how well and how fast the abuse classifier screens comments.

Run from the project folder: `python -m bench.bench_screening`. Scores every
comment of the labelled set (screening/tests/data/comments.csv) with and
without `normalise` (the obfuscation pass), and prints in Markdown:
precision, recall and F1 at the policy's default threshold, the same over a
range of thresholds with the share of each clean category held, the hold
rate of every category, and the time per comment (mean and p95, after a
warm-up). docs/benchmarks.md keeps a copy with the machine.
"""

import argparse
import os
import platform
import statistics
import time

CLEAN_CATEGORIES = ["criticism_public_figure", "criticism_newsroom", "civil_disagreement", "spam"]
THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99]


def default_threshold() -> float:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from discussion.models import ModerationPolicy

    return ModerationPolicy._meta.get_field("screening_threshold").default


def figures(rows, scores, threshold):
    held = [s >= threshold for s in scores]
    true_pos = sum(h and r.abusive for h, r in zip(held, rows, strict=True))
    precision = true_pos / max(sum(held), 1)
    recall = true_pos / sum(r.abusive for r in rows)
    f1 = 2 * precision * recall / (precision + recall) if true_pos else 0.0
    by_category = {}
    for h, r in zip(held, rows, strict=True):
        by_category.setdefault(r.category, []).append(h)
    rates = {category: sum(hs) / len(hs) for category, hs in by_category.items()}
    return precision, recall, f1, rates


def per_comment_ms(texts, score, rounds):
    """Wall-clock mean and p95 per comment, and the process's CPU time per comment (what the
    scoring costs whatever else the machine is running)."""
    for text in texts[:20]:
        score(text)  # warm-up: caches, the first calls' allocations
    times = []
    cpu_start = time.process_time()
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            score(text)
            times.append((time.perf_counter() - start) * 1000)
    cpu = (time.process_time() - cpu_start) * 1000 / len(times)
    times.sort()
    return statistics.mean(times), times[int(len(times) * 0.95)], cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, help="default: the policy's default")
    parser.add_argument("--rounds", type=int, default=5, help="timing passes over the set")
    args = parser.parse_args()
    threshold = args.threshold or default_threshold()

    from screening.classifier import model, score
    from screening.labelled import labelled_comments

    rows = labelled_comments()
    start = time.perf_counter()
    model()
    load_s = time.perf_counter() - start
    texts = [r.text for r in rows]
    runs = {
        "normalised": [score(t) for t in texts],
        "raw": [score(t, normalised=False) for t in texts],
    }
    categories = sorted({r.category for r in rows})
    counts = {c: sum(r.category == c for r in rows) for c in categories}

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}, Python {platform.python_version()}; {len(rows)} comments "
        f"({sum(r.abusive for r in rows)} abusive); model loaded in {load_s:.2f} s.\n"
    )
    print(f"At the threshold {threshold}:\n")
    print("| scoring | precision | recall | F1 |")
    print("|---|---:|---:|---:|")
    for name, scores in runs.items():
        precision, recall, f1, _ = figures(rows, scores, threshold)
        print(f"| {name} | {precision:.2f} | {recall:.2f} | {f1:.2f} |")

    print("\nOver thresholds (normalised); the clean columns are the share held:\n")
    print("| threshold | precision | recall | F1 | " + " | ".join(CLEAN_CATEGORIES) + " |")
    print("|---:|---:|---:|---:|" + "---:|" * len(CLEAN_CATEGORIES))
    for t in THRESHOLDS:
        precision, recall, f1, rates = figures(rows, runs["normalised"], t)
        held = " | ".join(f"{rates[c]:.0%}" for c in CLEAN_CATEGORIES)
        print(f"| {t} | {precision:.2f} | {recall:.2f} | {f1:.2f} | {held} |")

    held_clean = [
        f"{r.text} ({s:.2f})"
        for r, s in zip(rows, runs["normalised"], strict=True)
        if not r.abusive and s >= threshold
    ]
    print(f"\nClean comments held at {threshold}: " + ("; ".join(held_clean) or "none"))

    print(f"\nShare held per category at {threshold}:\n")
    print("| category | comments | normalised | raw |")
    print("|---|---:|---:|---:|")
    rates = {name: figures(rows, scores, threshold)[3] for name, scores in runs.items()}
    for c in categories:
        print(f"| {c} | {counts[c]} | {rates['normalised'][c]:.0%} | {rates['raw'][c]:.0%} |")

    print(f"\nTime per comment, one at a time, {args.rounds} passes after warm-up:\n")
    print("| scoring | mean ms | p95 ms | CPU ms |")
    print("|---|---:|---:|---:|")
    from profanity_check import predict_prob

    for name, fn in [
        ("score() normalised", score),
        ("score(normalised=False)", lambda t: score(t, normalised=False)),
        ("profanity_check.predict_prob", lambda t: predict_prob([t])),
    ]:
        mean, p95, cpu = per_comment_ms(texts, fn, args.rounds)
        print(f"| {name} | {mean:.2f} | {p95:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
