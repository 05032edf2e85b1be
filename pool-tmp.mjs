import { Worker } from 'node:worker_threads';
const { createEnginePool } = await import('./dist/core/engine-pool.js');
const w = new Worker('setTimeout(()=>{}, 100)', { eval: true });
const pool = await createEnginePool({ size: 1, knowledgeDir: 'knowledge', cacheDir: '/tmp/snaptg' });
const r = await pool.respond({ userId: 'x', text: 'hola' }, undefined, 0);
await pool.close();
await new Promise((r) => w.once('exit', r));
console.log('closed');
