package io.vigie.core;

import io.vigie.api.v1alpha1.RolloutSpec;
import io.vigie.api.v1alpha1.TrafficRouting;
import io.vigie.core.RolloutMachinePropertiesTest.Crash;
import io.vigie.core.RolloutMachinePropertiesTest.Event;
import io.vigie.core.RolloutMachinePropertiesTest.ManualControl;
import io.vigie.core.RolloutMachinePropertiesTest.SetImage;
import io.vigie.core.RolloutMachinePropertiesTest.TargetReadiness;
import io.vigie.core.PendingControl.Control;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The canary's invariants (RolloutMachinePropertiesTest: weights, traffic first, a crash after any
 * prefix of a decision's writes converges to the same end, a decision applied twice changes nothing,
 * the target only paused and unpaused) over random blue-green releases, plus blue-green's own: the
 * side users reach always has at least the target's replicas (checked by the model after every
 * write and every controller tick), and a switch back is one write (the abort's first).
 */
class BlueGreenPropertiesTest {

  @Property(tries = 1500)
  void invariantsHoldOverAnySequenceOfEvents(@ForAll boolean routed, @ForAll @IntRange(min = 0, max = 3) int auto,
      @ForAll @IntRange(min = 0, max = 2) int delay, @ForAll boolean smallPreview,
      @ForAll @Size(min = 1, max = 60) List<@From("events") Event> events) {
    Integer[] autoSeconds = {null, 0, 60, 600};
    int[] delaySeconds = {0, 30, 600};
    var blueGreen = Specs.blueGreen(autoSeconds[auto], delaySeconds[delay]);
    blueGreen.setPreviewReplicaCount(smallPreview ? 1 : null);
    RolloutSpec spec = Specs.blueGreen(blueGreen);
    spec.setProgressDeadlineSeconds(300);
    ModelWorld world = new ModelWorld();
    world.checkActiveCapacity = true;
    if (routed) {
      spec.setTrafficRouting(TrafficRouting.gatewayApi("web"));
      world.routed = true;
    }
    RolloutMachinePropertiesTest.run(spec, world, events);
  }

  /** Found by the property on a CI run (seed 5742506471342218354). */
  @net.jqwik.api.Example
  void anAbortAfterTheTemplateWentBackAndForthMovesTrafficFirst() {
    invariantsHoldOverAnySequenceOfEvents(false, 1, 0, true, List.of(new SetImage("v2"), new TargetReadiness(false), new Crash(0),
        new SetImage("v1"), new SetImage("v1"), new Crash(0), new SetImage("v2"), new ManualControl(Control.ABORT, "true"),
        new Crash(0)));
  }

  @Provide
  Arbitrary<Event> events() {
    return RolloutMachinePropertiesTest.anyEvent();
  }
}
