// The main job `npm start` runs once the stack is up.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { FerryConfig } from '../../core/config.js';

export async function runDemo(config: FerryConfig): Promise<void> {
  const connection = await Connection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const workflowId = `ping-${randomUUID()}`;
    const result = await client.workflow.execute('pingWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId,
      args: [{ key: `demo/${workflowId}.txt`, content: 'hello from Ferry' }],
    });
    console.log(`demo workflow ${workflowId} completed: ${JSON.stringify(result)}`);
  } finally {
    await connection.close();
  }
}
