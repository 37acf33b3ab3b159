/**
 * Write batching per device: uci writes ("jobs", uci-transaction.ts) to one device that arrive within the
 * batching window (transport/batch-window.ts), or while that device's previous transaction is in flight, run as ONE
 * transaction (runUciTransactionJobs): one lock hold, one exec, one commit and install per package written.
 * Each caller gets its own job's outcome: its result, or its own error (plan refused, read-back wrong, its
 * package's commit failed), or, when the whole exec failed, an error naming its own resource.
 * A job the transaction defers (it touches a section an earlier job of the same batch writes) was not sent at
 * all; it is submitted again and runs in a later transaction, planned against the committed result of the
 * earlier one, so it is neither lost nor applied twice. Jobs keep their first submission's rank, so a deferred
 * job plans before younger jobs of the next batch and cannot be overtaken forever.
 * Why: `pulumi up` creating N sections on one router ran N transactions, each taking the lock and installing the
 * package file (issue 4).
 */
import type DataLoader from "dataloader";
import type { DeviceTransport } from "../transport/types";
import { deviceBatchLoader, perDevice } from "../transport/batch-window";
import type { UciInvocation } from "./uci-script";
import { runUciTransactionJobs, type UciTransactionRequest, type UciTransactionResult } from "./uci-transaction";

interface QueuedWrite {
  req: UciTransactionRequest;
  /** Submission rank: plans run in this order within a transaction. */
  rank: number;
}

/** A job the transaction deferred; the submitter queues it again. */
interface Deferred {
  deferred: string;
}

type Loader = DataLoader<QueuedWrite, UciTransactionResult | Deferred>;

let nextRank = 0;

/** One write loader per device transport and uci invocation. */
const loaderFor = perDevice((transport: DeviceTransport, opts: UciInvocation): Loader =>
  deviceBatchLoader<QueuedWrite, UciTransactionResult | Deferred>(
    async (queued) => {
      const order = [...queued.keys()].sort((a, b) => queued[a].rank - queued[b].rank);
      const outcomes = await runUciTransactionJobs(
        transport,
        order.map((k) => queued[k].req),
        opts,
      );
      const byKey = new Array<UciTransactionResult | Deferred | Error>(queued.length);
      order.forEach((k, n) => {
        const o = outcomes[n];
        byKey[k] = o.status === "done" ? o.result : o.status === "failed" ? o.error : { deferred: o.reason };
      });
      return byKey;
    },
    { windowMs: transport.spec.batchWindowMs },
  ),
);

/**
 * Runs `req` in the device's next uci transaction, together with the other writes of the same batch. Resolves
 * with this job's result (`committed` false when it had nothing to write); rejects with this job's error (see
 * the module comment).
 */
export async function submitUciWrite(
  transport: DeviceTransport,
  req: UciTransactionRequest,
  opts: UciInvocation = {},
): Promise<UciTransactionResult> {
  const queued: QueuedWrite = { req, rank: nextRank++ };
  for (;;) {
    const r = await loaderFor(transport, opts).load(queued);
    if (!("deferred" in r)) return r;
  }
}
