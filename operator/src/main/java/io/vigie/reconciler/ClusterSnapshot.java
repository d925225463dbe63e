package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.core.Observation;
import java.util.Optional;

/**
 * The observation handed to the rollout logic, with the objects the writes are built from: the
 * target and the user's Service, and Vigie's own canary Deployment and Services as they were read,
 * so that the writes compare against them rather than read them again.
 */
record ClusterSnapshot(Observation observation, Optional<Deployment> target, Optional<Service> service,
    Optional<Deployment> canary, Optional<Service> stableService, Optional<Service> canaryService) {}
