#!/usr/bin/env python3
"""torch_train.py — PyTorch's training throughput on the same problem as
bench_train.c: nn.LSTM / nn.GRU (one layer), batch 64, T = 100, input size 2, a linear
readout on the last step, MSE, Adam, clip 1.  Prints cell-steps per second.
Run with /usr/bin/python3 (Debian's python3-torch).  Exits 0 with a message when
PyTorch is missing."""
import os
import sys
import time

# torch.set_num_threads does not reach the OpenBLAS that Debian's torch calls for its
# products: without this, they ran on 2 threads (182 % CPU) when 1 was asked for
_threads = sys.argv[1] if len(sys.argv) > 1 else "2"
os.environ["OPENBLAS_NUM_THREADS"] = _threads
os.environ["OMP_NUM_THREADS"] = _threads

try:
    import torch
except ImportError:
    print("PyTorch is not installed (apt-get install python3-torch); skipped")
    sys.exit(0)

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
T, B, M = 100, 64, 2
print(f"PyTorch {torch.__version__}: training throughput, batch {B}, T {T}, Adam, "
      f"{threads} threads")
print(f"{'variant':8} {'H':>5} {'cell-steps/s':>14} {'ms/iter':>12}")
for name, cls in (("lstm", torch.nn.LSTM), ("gru", torch.nn.GRU)):
    for H in (32, 128, 512):
        torch.manual_seed(1)
        rnn = cls(M, H)
        readout = torch.nn.Linear(H, 1)
        params = list(rnn.parameters()) + list(readout.parameters())
        opt = torch.optim.Adam(params, lr=1e-3)
        iters = 60 if H <= 32 else 20 if H <= 128 else 4

        def step():
            x = torch.rand(T, B, M)
            y = torch.rand(B, 1)
            out, _ = rnn(x)
            loss = torch.nn.functional.mse_loss(readout(out[-1]), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()

        step()
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        dt = (time.perf_counter() - t0) / iters
        print(f"{name:8} {H:5d} {T * B / dt:14.0f} {1e3 * dt:12.2f}")
