import type { ELK } from 'elkjs/lib/elk-api';
import { buildElkGraph, positionsFromElk, type Positions } from './graph-model';

type Topology = Parameters<typeof buildElkGraph>[0];

let elkInstance: Promise<ELK> | null = null;

/** The bundled ELK runs in the page (no worker file to serve); loaded on first layout to keep it out of the initial bundle. */
function loadElk(): Promise<ELK> {
  elkInstance ??= import('elkjs/lib/elk.bundled.js').then(
    (m) => new m.default(),
    (err: unknown) => {
      elkInstance = null;
      throw err;
    },
  );
  return elkInstance;
}

/** Node positions for a topology, as the dependency map and the incident's small map lay it out. */
export async function computeLayout(graph: Topology): Promise<Positions> {
  const elk = await loadElk();
  return positionsFromElk(await elk.layout(buildElkGraph(graph)));
}
