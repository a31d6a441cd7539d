"""Run the benchmarks: every ``benchmarks/bench_*.py`` module's ``main(argv)`` in turn.

Usage::

    python benchmarks/run.py                     # all benchmarks, full sizes
    python benchmarks/run.py dispatch --quick    # only bench_dispatch.py, smoke-run sizes
    python benchmarks/run.py --list              # the benchmarks found

Positional arguments select benchmarks by name (``dispatch`` matches ``bench_dispatch.py``;
a prefix or substring is enough). Every option (``--quick``, ...) is passed on to each
selected module's ``main(argv)``; each module writes ``benchmarks/results/<name>.json``.
The exit status is non-zero when a benchmark raised or returned a non-zero status.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def discover() -> dict[str, Path]:
    """Benchmark name -> file, for every ``bench_*.py`` beside this file (sorted)."""
    return {p.stem.removeprefix("bench_"): p for p in sorted(HERE.glob("bench_*.py"))}


def load(path: Path) -> ModuleType:
    """Import a benchmark module from its file (``benchmarks`` is not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def select(found: dict[str, Path], names: list[str]) -> dict[str, Path]:
    """The benchmarks matching any of ``names`` (exact name first, else substring)."""
    if not names:
        return found
    chosen: dict[str, Path] = {}
    for n in names:
        key = n.removeprefix("bench_").removesuffix(".py")
        hits = [k for k in found if k == key] or [k for k in found if key in k]
        if not hits:
            raise SystemExit(f"no benchmark matches '{n}'; available: {', '.join(found)}")
        chosen.update({k: found[k] for k in hits})
    return chosen


def split_args(argv: list[str], found: dict[str, Path]) -> tuple[list[str], list[str]]:
    """Split ``argv`` into benchmark names and options passed on to the modules.

    A bare word is a benchmark name when it matches one; otherwise it is the value of the
    option before it (``--out results.json``), or an error.
    """
    names: list[str] = []
    options: list[str] = []
    for i, a in enumerate(argv):
        if a.startswith("-"):
            options.append(a)
            continue
        key = a.removeprefix("bench_").removesuffix(".py")
        if any(key == k or key in k for k in found):
            names.append(a)
        elif i > 0 and argv[i - 1].startswith("-") and "=" not in argv[i - 1]:
            options.append(a)
        else:
            raise SystemExit(f"no benchmark matches '{a}'; available: {', '.join(found)}")
    return names, options


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        return 0
    found = discover()
    if "--list" in argv:
        print("\n".join(found))
        return 0
    names, options = split_args(argv, found)
    status = 0
    sys.path.insert(0, str(HERE))
    for name, path in select(found, names).items():
        print(f"=== benchmark {name} ({path.name}) {' '.join(options)}".rstrip(), flush=True)
        t0 = time.perf_counter()
        try:
            rc = load(path).main(list(options))
        except SystemExit as exc:  # argparse errors and explicit exits
            rc = exc.code if isinstance(exc.code, int) else 1
        except Exception:
            traceback.print_exc()
            rc = 1
        print(f"=== {name}: {'ok' if not rc else f'exit {rc}'} in "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        status = status or int(bool(rc))
    return status


if __name__ == "__main__":
    sys.exit(main())
