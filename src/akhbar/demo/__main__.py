"""Serve the demo wire alone (python -m akhbar.demo), for a look in a browser or a benchmark."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from types import FrameType

from akhbar.demo.content import DemoContentError, load_outlets
from akhbar.demo.synthetic import synthetic_outlets
from akhbar.demo.wire import DemoWire, DemoWireError


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m akhbar.demo", description="Serve demo outlets locally.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="first port (one per outlet), or the shared port")
    parser.add_argument("--single-port", action="store_true", help="one port for all, /s/<slug>/")
    parser.add_argument("--synthetic", type=int, nargs=2, metavar=("SOURCES", "ITEMS"),
                        help="serve generated outlets instead of the bundled ones")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Start the wire, print each outlet's home page URL and serve until interrupted."""
    args = _arguments(argv)
    try:
        if args.synthetic:
            outlets = synthetic_outlets(args.synthetic[0], args.synthetic[1], seed=args.seed)
        else:
            outlets = load_outlets()
        wire = DemoWire(outlets, host=args.host, base_port=args.port, single_port=args.single_port)
        wire.start()
    except (DemoContentError, DemoWireError) as exc:
        print(exc, file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)  # a plain `kill` stops the wire as cleanly as Ctrl-C
    for outlet in outlets:
        print(f"{wire.site_url(outlet.slug)}\t{outlet.name}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        wire.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
