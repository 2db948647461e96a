/** Test fixtures shared by the controller tests (not models): a stand-in kubelet and a failing transport. */
export { newFakeKubelet, FakeKubelet, runningStatus, failedStatus, type FakeKubeletOptions, type FakeKubeletStats } from './fake_kubelet';
export { newFaultyTransport, type FaultyTransport, type FaultRule } from './faulty_transport';
