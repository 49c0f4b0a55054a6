"""The offline demo wire: fictional outlets served on loopback so the portal runs without internet."""

from akhbar.demo.content import DemoArticle, DemoContentError, Outlet, load_outlets
from akhbar.demo.synthetic import synthetic_outlets
from akhbar.demo.wire import DemoWire, DemoWireError

__all__ = [
    "DemoArticle", "DemoContentError", "DemoWire", "DemoWireError", "Outlet",
    "load_outlets", "synthetic_outlets",
]
