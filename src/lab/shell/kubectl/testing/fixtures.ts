/** Objects and manifests the kubectl tests share (shaped as the API server stores them). */
import { T0 } from './harness';
import type { FakeApiServer } from './fake-apiserver';

export const ts = (offsetMs: number) => new Date(T0 + offsetMs).toISOString().replace('.000Z', 'Z');

export const WEB_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
`;

export const DEPLOY_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: example/api:1.0
`;

export const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wg]
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A Widget is a thing the capstone operator manages.
        properties:
          spec:
            type: object
            description: The desired state of the widget.
            required: [size]
            properties:
              size:
                type: integer
                description: How many gears the widget has.
              color:
                type: string
                enum: [red, green]
                description: The widget's color.
`;

/** A running pod on node-1 (ready), and one in CrashLoopBackOff with restarts. */
export function seedPods(server: FakeApiServer): void {
  server.seed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7d4b9c8f5-abcde', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '7d4b9c8f5' }, creationTimestamp: ts(0) },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      hostIP: '172.18.0.3',
      startTime: ts(1000),
      conditions: [
        { type: 'Initialized', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'ContainersReady', status: 'True' },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:0d17', containerID: 'containerd://a1b2c3', started: true, state: { running: { startedAt: ts(3000) } } }],
      qosClass: 'Burstable',
    },
  });
  server.seed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'crashy', namespace: 'default', labels: { app: 'crashy' }, creationTimestamp: ts(0) },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.6',
      podIPs: [{ ip: '10.244.1.6' }],
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ts(100_000), finishedAt: ts(110_000) } },
        },
      ],
    },
  });
}

export function seedNode(server: FakeApiServer): void {
  server.seed({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/control-plane': '' }, creationTimestamp: ts(0) },
    spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: ts(0), lastTransitionTime: ts(0) }],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.3' },
        { type: 'Hostname', address: 'node-1' },
      ],
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      nodeInfo: { kubeletVersion: 'v1.34.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://2.1.3', operatingSystem: 'linux', architecture: 'amd64' },
    },
  });
}
