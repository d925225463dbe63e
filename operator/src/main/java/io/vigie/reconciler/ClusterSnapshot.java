package io.vigie.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vigie.core.Observation;
import java.util.Optional;

/** The observation handed to the rollout logic, with the objects the writes are built from. */
record ClusterSnapshot(Observation observation, Optional<Deployment> target, Optional<Service> service) {}
