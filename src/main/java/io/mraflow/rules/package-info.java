/**
 * Policy: the port reference as data, the roles of addresses, and the verdict of each flow.
 *
 * <p>A flow passes through four types here, each with one meaning:
 * <ul>
 *   <li>{@link io.mraflow.rules.FlowFacts}: what the classifier is told about a flow (five-tuple as
 *       opened, payload protocol, server name, ICE evidence) and the facts a finding's message
 *       cites; mutable, reused, one per thread;</li>
 *   <li>{@link io.mraflow.rules.ClassifierResult}: what {@link io.mraflow.rules.Classifier} answered
 *       (row index, basis, role masks, findings as bits); mutable, reused, allocation-free, so the
 *       classifier can run per flow on any thread without garbage;</li>
 *   <li>{@link io.mraflow.rules.Verdict}: the flow's one verdict as every output shows it (row id,
 *       purpose, roles, confidence, payload, findings with their messages); immutable, made once
 *       per flow at the report stage by {@link io.mraflow.rules.VerdictBuilder}, which also adds
 *       what failed on the wire and applies the allow list;</li>
 *   <li>{@link io.mraflow.rules.RoleInference.Observation}: what role inference keeps of a flow
 *       when no topology is given; small, so a capture's or a live window's worth fits.</li>
 * </ul>
 * {@link io.mraflow.rules.DiagnosisBuilder} then reads the verdicts of a capture and names what
 * failed ({@link io.mraflow.rules.Diagnosis}).
 */
package io.mraflow.rules;
