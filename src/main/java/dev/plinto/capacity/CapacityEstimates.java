package dev.plinto.capacity;

import java.math.BigDecimal;

/**
 * The capacity plan for measured numbers, for the admin dashboard's system page: {@link CapacityPlanner} with its
 * default activity model and throughput (docs/capacity.md) for the measured daily active users, and the hosted
 * services' monthly price (dated price file {@code capacity/prices.json}) for the measured monthly active users.
 */
public final class CapacityEstimates {

	private static final CapacityPlanner.Prices PRICES = CapacityPlanner.Prices.load();

	private CapacityEstimates() {
	}

	/**
	 * A plan and the price comparison.
	 *
	 * @param dau the daily active users planned for (at least 1)
	 * @param mau the monthly active users priced
	 * @param tier the provisioning guide's tier ({@code 1K} … {@code 10M}) and its shape
	 * @param processes Plinto processes of one vCPU each
	 * @param memoryMb memory to provision for them
	 * @param deployment how the deploy kit runs them
	 * @param selfHostedUsdMin the monthly cost range of the servers, from the price file's smallest tier per vCPU
	 * @param clerkMonthlyUsd Clerk's list price for {@code mau} monthly retained users
	 * @param auth0MonthlyUsd Auth0's list price when public (within the free plan), else null
	 * @param auth0Note what the price file says about Auth0's paid plans
	 * @param pricesAsOf the date of the price file
	 */
	public record Estimate(long dau, long mau, String tier, String tierShape, int processes, int vcpus,
			long memoryMb, String deployment, long selfHostedUsdMin, long selfHostedUsdMax, long tierUsdMin,
			Long tierUsdMax, BigDecimal clerkMonthlyUsd, BigDecimal auth0MonthlyUsd, String auth0Note,
			String clerkSource, String auth0Source, String pricesAsOf, String throughputSource) {
	}

	public static Estimate forMeasured(long dau, long mau) {
		CapacityPlanner.Plan plan = CapacityPlanner.plan(Math.max(1, dau), CapacityPlanner.Model.DEFAULTS,
				CapacityPlanner.Throughput.DEFAULTS, PRICES);
		long users = Math.max(0, mau);
		return new Estimate(plan.dau(), users, plan.tier().name(), plan.tier().shape(), plan.processes(),
				plan.serverVcpus(), plan.memoryMb(), plan.deployment().description(), plan.selfHostedUsdMin(),
				plan.selfHostedUsdMax(), plan.tier().monthlyUsdMin(), plan.tier().monthlyUsdMax(),
				PRICES.clerkMonthlyUsd(users), PRICES.auth0MonthlyUsd(users), PRICES.auth0Paid(), PRICES.clerkSource(),
				PRICES.auth0Source(), PRICES.asOf(), plan.throughput().source());
	}
}
