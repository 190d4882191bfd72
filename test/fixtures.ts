import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkloadSummary } from '@/lib/contracts/workload';
import { deriveDeployment } from '@/lib/rollouts/deployment';
import type { AnalysisRunObject, DeploymentObject, EventObject, HpaObject, PodObject, ReplicaSetObject, RolloutObject } from '@/lib/rollouts/objects';
import { deriveRollout } from '@/lib/rollouts/rollout';

/** A fixture recorded from the sandbox by scripts/record-fixtures.ts. */
export interface Fixture {
  recordedAt: string;
  kind: 'Rollout' | 'Deployment';
  workload: RolloutObject | DeploymentObject;
  replicaSets: ReplicaSetObject[];
  pods: PodObject[];
  analysisRuns: AnalysisRunObject[];
  hpas: HpaObject[];
  events: EventObject[];
}

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'lib', 'rollouts', '__fixtures__', `${name}.json`), 'utf8')) as Fixture;
}

export function deriveFixture(name: string): WorkloadSummary {
  const f = loadFixture(name);
  const related = { replicaSets: f.replicaSets, pods: f.pods, hpas: f.hpas, events: f.events, analysisRuns: f.analysisRuns, deployments: [] };
  return f.kind === 'Rollout'
    ? deriveRollout('sandbox', f.workload as RolloutObject, related)
    : deriveDeployment('sandbox', f.workload as DeploymentObject, related);
}
