package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.vigie.core.Observation;
import java.util.Optional;

/**
 * The observation handed to the rollout logic, with the objects the writes are built from: the
 * target and the user's Service, and Vigie's own canary and baseline Deployments and Services as they
 * were read, so that the writes compare against them rather than read them again; the stable
 * ReplicaSet, whose template a baseline runs; a blue-green release's preview Service (Vigie's, or the
 * user's it names).
 */
record ClusterSnapshot(Observation observation, Optional<Deployment> target, Optional<Service> service,
    Optional<Deployment> canary, Optional<Deployment> baseline, Optional<Service> stableService, Optional<Service> canaryService,
    Optional<Service> baselineService, Optional<ReplicaSet> stableReplicaSet, Optional<Service> previewService) {}
