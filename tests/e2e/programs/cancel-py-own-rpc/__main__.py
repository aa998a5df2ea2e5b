"""Fails with an RPC error of its own, UNAVAILABLE like the engine's when it ends
a run: tests/e2e/test_cancel.py checks that the user still reads it."""

import grpc
import pulumi

pulumi.export("started", True)
# Nothing listens on port 1: the call fails at once with UNAVAILABLE.
grpc.insecure_channel("127.0.0.1:1").unary_unary("/inventory.Inventory/List")(b"", timeout=30)
