/* budget.h — what this machine can give a run, and the checks that refuse a setup
 * before anything is allocated: the memory available (MemAvailable, capped by the
 * process's limits and GATESCOPE_MEMORY), the engine's own estimates of what a scene,
 * a training run or a lesson's Jacobians need, and one line saying how much and what
 * to lower.  No SDL, no printing. */
#ifndef GS_APP_BUDGET_H
#define GS_APP_BUDGET_H

#include "session/options.h"

/* The Jacobian rate the time estimates assume (flop/s): a slow core running the
 * engine's batch-1 kernels (a recent one does 4-5 times this). */
#define BUDGET_JAC_RATE 5e9
/* Longer than this (seconds, at that rate), a lesson's Jacobians are refused. */
#define BUDGET_JAC_SECONDS 120.0

/* Bytes this process may still allocate: MemAvailable (/proc/meminfo, else the free
 * physical pages), no more than RLIMIT_AS and RLIMIT_DATA, nor than GATESCOPE_MEMORY
 * when it is set ("2G", "512M", "100000K" or bytes).  Sets *why to what set it. */
double budget_memory(const char **why);
/* "50.0 GiB", "312 MiB", "4 KiB" into buf. */
void budget_format(char *buf, size_t len, double bytes);

/* Bytes the scene of setup takes (n_in, n_out, T from its task): each variant's
 * model and sequence, with the Jacobian scratch when jacobian is set. */
double budget_scene_bytes(const opt_setup *setup, int n_in, int n_out, int T, int jacobian);
/* 0 if that fits budget_memory(); otherwise one line into err and 1. */
int budget_check_scene(const opt_setup *setup, int n_in, int n_out, int T, int jacobian,
                       char *err, size_t err_len);
/* The same for training: a copy of each model and its trainer (optimizer state and a
 * batch sequence), plus the scene itself when with_scene is set (0: it is built, its
 * memory taken already). */
int budget_check_train(const opt_setup *setup, const train_setup *train, int n_in, int n_out,
                       int T, int with_scene, char *err, size_t err_len);
/* Seconds (at BUDGET_JAC_RATE) the Jacobians of T steps of every variant take. */
double budget_jacobian_seconds(const opt_setup *setup, int n_in, int n_out, int T);

#endif
