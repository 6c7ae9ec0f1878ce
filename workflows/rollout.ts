// Progressive rollout of an approved version: direct, shadow then promote, or canary steps with a
// bake time each. After every bake it checks guard metrics and rolls back on a breach. A cancelled
// rollout returns traffic to the champion; traffic changed by someone else (an admin rollback) ends it.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  abortRolloutSignal,
  FailureType,
  FerryStage,
  nonRetryableFailureTypes,
  pauseRolloutSignal,
  promoteNowSignal,
  resumeRolloutSignal,
  rolloutStatusQuery,
  type GuardReport,
  type RolloutInput,
  type RolloutPhase,
  type RolloutResult,
  type RolloutStatus,
} from '../core/contracts/index.js';

const act = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1s',
    maximumInterval: '30s',
    nonRetryableErrorTypes: [...nonRetryableFailureTypes],
  },
});

export async function rolloutWorkflow(input: RolloutInput): Promise<RolloutResult> {
  const { model, candidate, champion, rollout } = input;
  const status: RolloutStatus = {
    strategy: rollout.strategy,
    phase: 'starting',
    step: null,
    weights: {},
    shadow: [],
    paused: false,
    lastGuards: null,
    breach: null,
  };
  let abort: { by: string; reason: string } | undefined;
  let promoteNow: { by: string; reason: string } | undefined;

  setHandler(rolloutStatusQuery, () => status);
  setHandler(pauseRolloutSignal, () => void (status.paused = true));
  setHandler(resumeRolloutSignal, () => void (status.paused = false));
  setHandler(abortRolloutSignal, (a) => void (abort ??= a));
  setHandler(promoteNowSignal, (p) => void (promoteNow ??= p));

  const stage = (phase: RolloutPhase) => {
    status.phase = phase;
    upsertSearchAttributes([{ key: FerryStage, value: `rollout:${phase}` }]);
    setCurrentDetails(
      `**rollout** of \`${model}\` v${candidate} (${rollout.strategy}) · ${phase} · weights ${JSON.stringify(status.weights)}${status.lastGuards ? ` · guards ${status.lastGuards.summary}` : ''}`,
    );
  };
  // Each traffic change after the first expects the revision this rollout wrote last, so an admin's
  // change in between is seen (a Conflict) instead of being overwritten by the next step.
  const yieldsToOthers = patched('rollout-yields-to-outside-traffic-change');
  let ownRevision: number | undefined;
  /** Traffic changed outside the rollout: what it says, once seen. */
  let outsideChange: string | undefined;
  let lastRoute: { weights: Record<number, number>; shadow: number[]; why: string } | undefined;
  const route = async (weights: Record<number, number>, shadow: number[], why: string) => {
    lastRoute = { weights, shadow, why };
    status.weights = Object.fromEntries(Object.entries(weights).map(([v, w]) => [`v${v}`, w]));
    status.shadow = shadow;
    const { revision } = await act.setTraffic({
      model,
      routes: Object.entries(weights)
        .filter(([, w]) => w > 0)
        .map(([v, w]) => ({ version: Number(v), weight: w })),
      shadow,
      actor: input.actor,
      reason: why,
      ...(yieldsToOthers && ownRevision !== undefined ? { expectRevision: ownRevision } : {}),
    });
    ownRevision = revision;
  };
  const isConflict = (err: unknown) =>
    err instanceof ActivityFailure &&
    err.cause instanceof ApplicationFailure &&
    err.cause.type === FailureType.Conflict;
  /** Routes unless someone else changed traffic since our last change; then records that and returns false. */
  const routeIfOurs = async (weights: Record<number, number>, shadow: number[], why: string) => {
    try {
      await route(weights, shadow, why);
      return true;
    } catch (err) {
      if (!yieldsToOthers || !isConflict(err)) throw err;
      outsideChange = (err as ActivityFailure).cause!.message;
      return false;
    }
  };
  const finish = async (result: RolloutResult): Promise<RolloutResult> => {
    await condition(allHandlersFinished);
    return result;
  };
  const promote = async (why: string, guards: GuardReport | null) => {
    if (!(await routeIfOurs({ [candidate]: 100 }, [], why))) return yielded(guards);
    await act.promoteModel({
      runId: input.runId,
      model,
      version: candidate,
      actor: input.actor,
      reason: why,
    });
    stage('promoted');
    return finish({ outcome: 'promoted', version: candidate, reason: why, guards });
  };
  const rollBack = async (why: string, guards: GuardReport | null) => {
    status.breach = why;
    // When traffic was already changed by someone else, their choice stands.
    if (champion !== undefined && outsideChange === undefined)
      await routeIfOurs({ [champion]: 100 }, [], `rollback of v${candidate}: ${why}`);
    await act.markRolledBack({ runId: input.runId, model, version: candidate, reason: why, guards });
    stage('rolled-back');
    return finish({ outcome: 'rolled-back', version: candidate, reason: why, guards });
  };
  /** The canary ends without touching traffic again: someone else (an admin rollback) changed it. */
  const yielded = (guards: GuardReport | null) =>
    rollBack(`aborted: serving traffic was changed outside the rollout (${outsideChange})`, guards);
  /** Waits out the bake time (paused time does not count); an abort or promoteNow ends it early. */
  const bake = async () => {
    let remaining = input.bakeMs;
    while (remaining > 0 && !abort && !promoteNow) {
      if (status.paused) {
        await condition(() => !status.paused || !!abort || !!promoteNow);
        continue;
      }
      const started = Date.now();
      await condition(() => status.paused || !!abort || !!promoteNow, remaining);
      remaining -= Date.now() - started;
    }
  };
  const guardsAfterBake = async (since: string): Promise<GuardReport> => {
    const report = await act.measureGuards({
      model,
      candidate,
      champion: champion ?? null,
      since,
      guards: rollout.guards,
    });
    status.lastGuards = report;
    return report;
  };

  if (champion === undefined || champion === candidate || rollout.strategy === 'direct') {
    return promote(
      champion === undefined ? 'first version: nothing to roll out against' : input.reason,
      null,
    );
  }

  const steps = rollout.strategy === 'shadow' ? [0] : rollout.steps;
  const run = async (): Promise<RolloutResult> => {
    for (const [i, percent] of steps.entries()) {
      const since = new Date().toISOString();
      status.step = i;
      if (rollout.strategy === 'shadow') {
        if (
          !(await routeIfOurs({ [champion]: 100 }, [candidate], `shadow v${candidate} next to v${champion}`))
        )
          return yielded(status.lastGuards);
        stage('shadow');
      } else {
        const changed = await routeIfOurs(
          percent === 100 ? { [candidate]: 100 } : { [candidate]: percent, [champion]: 100 - percent },
          [],
          `canary step ${i + 1}: ${percent}% to v${candidate}`,
        );
        if (!changed) return yielded(status.lastGuards);
        stage(`canary-${percent}`);
      }
      await bake();
      if (abort) return rollBack(`aborted by ${abort.by}: ${abort.reason}`, status.lastGuards);
      // Traffic changed by someone else during the bake (an admin rollback): their change stands and
      // the guards no longer measure this step. Re-asking for our own state is a no-op otherwise.
      if (
        yieldsToOthers &&
        lastRoute &&
        !(await routeIfOurs(lastRoute.weights, lastRoute.shadow, lastRoute.why))
      )
        return yielded(status.lastGuards);
      if (promoteNow)
        return promote(`promoted early by ${promoteNow.by}: ${promoteNow.reason}`, status.lastGuards);
      const guards = await guardsAfterBake(since);
      if (guards.breaches.length > 0)
        return rollBack(`guard breached: ${guards.breaches.join('; ')}`, guards);
    }
    return promote(input.reason, status.lastGuards);
  };
  if (!patched('rollout-cancel-returns-traffic')) return run();
  try {
    return await run();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled mid-rollout (the run was cancelled): traffic must not stay split onto an
    // unapproved candidate, so the champion gets it back even though this scope is cancelled.
    await CancellationScope.nonCancellable(async () => {
      status.breach = 'cancelled';
      if (await routeIfOurs({ [champion]: 100 }, [], `rollout of v${candidate} cancelled`))
        await act.markRolledBack({
          runId: input.runId,
          model,
          version: candidate,
          reason: 'the rollout was cancelled',
          guards: status.lastGuards,
        });
      stage('rolled-back');
    });
    throw err;
  }
}
