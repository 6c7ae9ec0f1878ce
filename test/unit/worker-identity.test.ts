// A worker's default identity names its pool and carries its pid, which the chaos suite reads back
// from a pending activity's lastWorkerIdentity to kill exactly the worker running it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultWorkerIdentity, workerPid } from '../../worker/create-worker.js';

test('the pid is read back from a default worker identity, and from no other', () => {
  assert.equal(workerPid(defaultWorkerIdentity('train')), process.pid);
  assert.equal(workerPid(defaultWorkerIdentity('pipeline')), process.pid);
  assert.equal(workerPid('ferry-worker-train@host.example.com:4242'), 4242);
  // The SDK's own default (pid@host) and strangers are not guessed at.
  assert.equal(workerPid(`${process.pid}@host`), undefined);
  assert.equal(workerPid('ferry-worker-train@host:'), undefined);
  assert.equal(workerPid('someone-else'), undefined);
});
