package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Reusable metric definitions shared by every namespace. */
@Group(Rollout.GROUP)
@Version(Rollout.VERSION)
@Kind("ClusterAnalysisTemplate")
@Singular("clusteranalysistemplate")
@Plural("clusteranalysistemplates")
// Top-level fields the schema does not know (an API server without it stores them) are no reason to stop a watch.
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterAnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void> {
  private static final long serialVersionUID = 1L;
}
