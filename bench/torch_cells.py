#!/usr/bin/env python3
"""torch_cells.py — PyTorch's side of bench_cells.c: torch.nn.LSTMCell and GRUCell
(float32, batch 1, input size m = H) at H = 32, 128, 512.
  fwd: µs per cell call, stepping one at a time over T = 100 under no_grad.
  bwd: a T = 100 unrolled loop with autograd on, one MSE loss on a linear readout of
       the last h; loss.backward() time / 100 (the forward is not timed).
Median of 7 runs, after a warm-up.  Usage: torch_cells.py [threads] (default 2).
Run with /usr/bin/python3 (Debian's python3-torch).  Exits 0 with a message when
PyTorch is missing."""
import os
import statistics
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
    print("PyTorch is not installed (apt-get install python3-torch); torch_cells skipped")
    sys.exit(0)

T, RUNS = 100, 7
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)


def reps_for(h):
    """Sequences per timed run: long enough against timer noise, short overall."""
    return 20 if h <= 32 else 10 if h <= 128 else 3


def make(cls, h):
    torch.manual_seed(1)
    cell = cls(h, h)
    readout = torch.nn.Linear(h, 1)
    x = torch.rand(T, 1, h) * 2 - 1
    return cell, readout, x


def run_cell(cell, x, lstm):
    h = torch.zeros(1, x.shape[2])
    c = torch.zeros(1, x.shape[2])
    for t in range(T):
        if lstm:
            h, c = cell(x[t], (h, c))
        else:
            h = cell(x[t], h)
    return h


def time_forward(cell, x, lstm, reps):
    with torch.no_grad():
        t0 = time.perf_counter()
        for _ in range(reps):
            run_cell(cell, x, lstm)
        return 1e6 * (time.perf_counter() - t0) / (reps * T)


def time_backward(cell, readout, x, lstm, reps):
    total = 0.0
    target = torch.full((1, 1), 0.5)
    for _ in range(reps):
        cell.zero_grad()
        readout.zero_grad()
        h = run_cell(cell, x, lstm)
        loss = torch.nn.functional.mse_loss(readout(h), target)
        t0 = time.perf_counter()
        loss.backward()
        total += time.perf_counter() - t0
    return 1e6 * total / (reps * T)


print(f"PyTorch {torch.__version__}: cells, batch 1, input size m = H, T = {T}, float32, "
      f"{threads} threads; median of {RUNS} runs (µs per step)")
print(f"fwd: cell(x_t, state) x {T} under no_grad; bwd: loss.backward() over the "
      f"unrolled T = {T} / {T}")
print(f"\n{'variant':8} {'H':>5} {'fwd µs':>10} {'bwd µs':>10}")
for name, cls in (("LSTMCell", torch.nn.LSTMCell), ("GRUCell", torch.nn.GRUCell)):
    lstm = cls is torch.nn.LSTMCell
    for H in (32, 128, 512):
        cell, readout, x = make(cls, H)
        reps = reps_for(H)
        time_forward(cell, x, lstm, reps)  # warm up
        time_backward(cell, readout, x, lstm, 1)
        fwd = statistics.median(time_forward(cell, x, lstm, reps) for _ in range(RUNS))
        bwd = statistics.median(time_backward(cell, readout, x, lstm, reps)
                                for _ in range(RUNS))
        print(f"{name:8} {H:5d} {fwd:10.2f} {bwd:10.2f}", flush=True)
