// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the lock-free kernel PTE helpers,
 * ptep_set_kernel_if_empty() and ptep_replace_kernel().
 *
 * Each test maps pages into a private one-page kernel vm area, the way a
 * user of the helpers such as the BPF arena does, and checks the result
 * through that mapping.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/vmalloc.h>
#include <asm/tlbflush.h>

#define RACERS 4

struct kernel_pte_ctx {
	struct vm_struct *area;
	unsigned long addr;
	pte_t *ptep;
	struct page *pages[RACERS];
};

static int remember_ptep(pte_t *ptep, unsigned long addr, void *data)
{
	struct kernel_pte_ctx *ctx = data;

	ctx->ptep = ptep;
	return 0;
}

static int kernel_pte_test_init(struct kunit *test)
{
	struct kernel_pte_ctx *ctx;
	int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->area = get_vm_area(PAGE_SIZE, VM_SPARSE);
	KUNIT_ASSERT_NOT_NULL(test, ctx->area);
	ctx->addr = (unsigned long)ctx->area->addr;
	/* Allocates the page table and finds the (empty) entry. */
	KUNIT_ASSERT_EQ(test, 0, apply_to_page_range(&init_mm, ctx->addr, PAGE_SIZE,
						     remember_ptep, ctx));
	KUNIT_ASSERT_NOT_NULL(test, ctx->ptep);
	for (i = 0; i < RACERS; i++) {
		ctx->pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, ctx->pages[i]);
		/* Each page carries its index in every word. */
		memset64(page_address(ctx->pages[i]), i + 1, PAGE_SIZE / sizeof(u64));
	}
	test->priv = ctx;
	return 0;
}

static void kernel_pte_test_exit(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;
	int i;

	if (!ctx)
		return;
	ptep_get_and_clear(&init_mm, ctx->addr, ctx->ptep);
	flush_tlb_kernel_range(ctx->addr, ctx->addr + PAGE_SIZE);
	free_vm_area(ctx->area);
	for (i = 0; i < RACERS; i++)
		if (ctx->pages[i])
			__free_page(ctx->pages[i]);
}

static pte_t page_pte(struct kernel_pte_ctx *ctx, int i)
{
	return mk_pte(ctx->pages[i], PAGE_KERNEL);
}

/* Which page is mapped, read through the mapping. */
static u64 mapped_index(struct kernel_pte_ctx *ctx)
{
	return READ_ONCE(*(u64 *)ctx->addr) - 1;
}

static void install_into_empty(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;

	KUNIT_EXPECT_TRUE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 0)));
	KUNIT_EXPECT_TRUE(test, pte_same(ptep_get(ctx->ptep), page_pte(ctx, 0)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 0);
}

static void install_into_populated_fails(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;

	KUNIT_ASSERT_TRUE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 0)));
	KUNIT_EXPECT_FALSE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 1)));
	KUNIT_EXPECT_TRUE(test, pte_same(ptep_get(ctx->ptep), page_pte(ctx, 0)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 0);
}

static void clear_then_install(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;
	pte_t old;

	KUNIT_ASSERT_TRUE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 0)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 0);
	old = ptep_get_and_clear(&init_mm, ctx->addr, ctx->ptep);
	KUNIT_EXPECT_TRUE(test, pte_same(old, page_pte(ctx, 0)));
	flush_tlb_kernel_range(ctx->addr, ctx->addr + PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 1)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 1);
}

static void replace_present(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;

	KUNIT_ASSERT_TRUE(test, ptep_set_kernel_if_empty(ctx->ptep, page_pte(ctx, 0)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 0);
	KUNIT_EXPECT_TRUE(test, ptep_replace_kernel(ctx->addr, ctx->ptep,
						    page_pte(ctx, 0), page_pte(ctx, 1)));
	/* The flush guarantees the old page is no longer reached. */
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 1);
	/* A stale expectation changes nothing. */
	KUNIT_EXPECT_FALSE(test, ptep_replace_kernel(ctx->addr, ctx->ptep,
						     page_pte(ctx, 0), page_pte(ctx, 2)));
	KUNIT_EXPECT_EQ(test, mapped_index(ctx), 1);
}

struct racer {
	struct kernel_pte_ctx *ctx;
	int index;
	atomic_t *ready;
	struct completion *go;
	bool won;
	pte_t seen;	/* the entry a loser found afterwards */
	struct completion done;
};

static int racer_fn(void *data)
{
	struct racer *r = data;

	atomic_inc(r->ready);
	wait_for_completion(r->go);
	r->won = ptep_set_kernel_if_empty(r->ctx->ptep, page_pte(r->ctx, r->index));
	r->seen = ptep_get(r->ctx->ptep);
	complete(&r->done);
	return 0;
}

static void race_has_one_winner(struct kunit *test)
{
	struct kernel_pte_ctx *ctx = test->priv;
	struct racer racers[RACERS] = {};
	DECLARE_COMPLETION_ONSTACK(go);
	atomic_t ready = ATOMIC_INIT(0);
	struct task_struct *task;
	int round, i, winner;

	for (round = 0; round < 100; round++) {
		atomic_set(&ready, 0);
		reinit_completion(&go);
		for (i = 0; i < RACERS; i++) {
			racers[i] = (struct racer){ .ctx = ctx, .index = i,
						    .ready = &ready, .go = &go };
			init_completion(&racers[i].done);
			task = kthread_run_on_cpu(racer_fn, &racers[i],
						  i % num_online_cpus(), "kpte_race/%u");
			KUNIT_ASSERT_FALSE(test, IS_ERR(task));
		}
		while (atomic_read(&ready) < RACERS)
			usleep_range(50, 100);
		complete_all(&go);
		for (i = 0; i < RACERS; i++)
			wait_for_completion(&racers[i].done);

		winner = -1;
		for (i = 0; i < RACERS; i++) {
			if (!racers[i].won)
				continue;
			KUNIT_EXPECT_EQ_MSG(test, winner, -1, "two winners in round %d", round);
			winner = i;
		}
		KUNIT_ASSERT_NE_MSG(test, winner, -1, "no winner in round %d", round);
		KUNIT_EXPECT_TRUE(test, pte_same(ptep_get(ctx->ptep), page_pte(ctx, winner)));
		KUNIT_EXPECT_EQ(test, mapped_index(ctx), winner);
		for (i = 0; i < RACERS; i++)
			KUNIT_EXPECT_TRUE_MSG(test, pte_same(racers[i].seen, page_pte(ctx, winner)),
					      "racer %d saw another entry than the winner's", i);

		ptep_get_and_clear(&init_mm, ctx->addr, ctx->ptep);
		flush_tlb_kernel_range(ctx->addr, ctx->addr + PAGE_SIZE);
	}
}

static struct kunit_case kernel_pte_test_cases[] = {
	KUNIT_CASE(install_into_empty),
	KUNIT_CASE(install_into_populated_fails),
	KUNIT_CASE(clear_then_install),
	KUNIT_CASE(replace_present),
	KUNIT_CASE_SLOW(race_has_one_winner),
	{}
};

static struct kunit_suite kernel_pte_test_suite = {
	.name = "kernel_pte",
	.init = kernel_pte_test_init,
	.exit = kernel_pte_test_exit,
	.test_cases = kernel_pte_test_cases,
};

kunit_test_suite(kernel_pte_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for lock-free kernel PTE installation");
MODULE_LICENSE("GPL");
