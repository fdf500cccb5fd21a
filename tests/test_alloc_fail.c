/* test_alloc_fail.c — a countdown allocator fails the Nth allocation, for every N
 * until everything succeeds, across model, sequence, Jacobian, task and trainer
 * creation, a gate clamp and a clone of the clamped model (fgr: the largest layout):
 * every failure must come back as GS_ERR_NOMEM with a message, and
 * nothing may leak (the allocator counts live blocks; ASan watches too). */
#include "check.h"
#include "countdown.h"
#include "gatescope.h"

#include <stdlib.h>
#include <string.h>

/* Runs the whole pipeline with allocation number `fail_at` failing; returns 1 when
 * it ran to the end without any failure. */
static int pipeline(long fail_at, countdown *c) {
    gs_allocator a = { countdown_realloc, c };
    gs_model *m = NULL, *m2 = NULL;
    gs_seq *s = NULL;
    gs_task *task = NULL;
    gs_trainer *tr = NULL;
    gs_error err;
    gs_status st;
    int done = 0;
    gs_task_config tc = gs_task_config_default(GS_TASK_ECHO);
    c->left = fail_at;
    c->live = 0;
    tc.length = 12;
    tc.alloc = a;
    err.msg[0] = 0;
    if ((st = gs_task_create(&task, &tc, &err)) != GS_OK) goto out;
    gs_model_config mc = gs_model_config_default(GS_FGR, gs_task_n_in(task), 5,
                                                 gs_task_n_out(task));
    mc.alloc = a;
    mc.init = GS_INIT_ORTHOGONAL;
    if ((st = gs_model_create(&m, &mc, &err)) != GS_OK) goto out;
    if ((st = gs_model_clamp_gate(m, 1, GS_ALL_UNITS, 1.0, &err)) != GS_OK) {
        CHECK(gs_model_clamp_count(m) == 0); /* a failed clamp leaves the model as it was */
        goto out;
    }
    if ((st = gs_model_clone(&m2, m, &err)) != GS_OK) goto out;
    CHECK(gs_model_clamp_count(m2) == 5);
    if ((st = gs_seq_create(&s, m, 12, 1, &err)) != GS_OK) goto out;
    if ((st = gs_seq_fill(s, task, 3, &err)) != GS_OK) goto out;
    gs_seq_forward(s, 12);
    gs_backward_opts bo = { 0 };
    bo.jacobian = 1;
    if ((st = gs_seq_backward(s, &bo, &err)) != GS_OK) goto out;
    gs_train_config trc = gs_train_config_default();
    trc.alloc = a;
    trc.batch = 2;
    if ((st = gs_trainer_create(&tr, m, task, &trc, &err)) != GS_OK) goto out;
    if ((st = gs_trainer_step(tr, NULL, &err)) != GS_OK) goto out;
    done = 1;
out:
    if (!done) {
        CHECK_MSG(st == GS_ERR_NOMEM, "allocation %ld: status %d (%s)", fail_at, (int)st, err.msg);
        CHECK_MSG(strlen(err.msg) > 0, "allocation %ld failed without a message", fail_at);
    }
    gs_trainer_destroy(tr);
    gs_seq_destroy(s);
    gs_model_destroy(m);
    gs_model_destroy(m2);
    gs_task_destroy(task);
    CHECK_MSG(c->live == 0, "allocation %ld: %ld blocks leaked", fail_at, c->live);
    return done;
}

int main(void) {
    countdown c;
    long n;
    for (n = 0; n < 10000; n++)
        if (pipeline(n, &c)) break;
    printf("pipeline needs %ld allocations; every earlier failure handled\n", n);
    CHECK(n > 5 && n < 10000);
    return check_result("test_alloc_fail");
}
