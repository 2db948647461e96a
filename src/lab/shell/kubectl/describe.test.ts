import { describe, expect, it } from 'vitest';
import { makeHarness } from './testing/harness';
import { CRD_YAML, DEPLOY_YAML, WEB_YAML, seedNode, seedPods, ts } from './testing/fixtures';

const MIN = 60_000;

describe('kubectl describe', () => {
  it('pod: the layout, containers with state and resources, conditions, QoS, events sorted with their age', async () => {
    const h = makeHarness();
    seedPods(h.server);
    const pod = h.server.get('v1', 'Pod', 'web-7d4b9c8f5-abcde')!;
    pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f5', uid: 'rs-uid', controller: true }];
    pod.spec.tolerations = [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ];
    pod.spec.containers[0].env = [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }, { name: 'MODE', value: 'fast' }];
    pod.spec.volumes = [{ name: 'cache', emptyDir: {} }];
    pod.spec.containers[0].volumeMounts = [{ name: 'cache', mountPath: '/cache' }];
    h.server.update(pod);
    const uid = pod.metadata.uid;
    h.server.seed({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e2', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: 'default', uid },
      reason: 'Pulled',
      message: 'Container image "nginx:1.27" already present on machine',
      type: 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ts(2000),
      lastTimestamp: ts(2000),
      count: 1,
    });
    h.server.seed({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: 'default', uid },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-7d4b9c8f5-abcde to node-1',
      type: 'Normal',
      source: { component: 'default-scheduler' },
      firstTimestamp: ts(1000),
      lastTimestamp: ts(1000),
      count: 1,
    });
    h.clock.set(Date.parse(ts(2 * MIN)));
    await h.run('kubectl get pods');
    h.server.requests.length = 0;
    const r = await h.run('kubectl describe pod web-7d4b9c8f5-abcde');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "Name:         web-7d4b9c8f5-abcde
      Namespace:    default
      Node:         node-1/172.18.0.3
      Start Time:   Wed, 01 Jan 2025 00:00:01 +0000
      Labels:       app=web
                    pod-template-hash=7d4b9c8f5
      Annotations:  <none>
      Status:       Running
      IP:           10.244.1.5
      IPs:
        IP:           10.244.1.5
      Controlled By:  ReplicaSet/web-7d4b9c8f5
      Containers:
        web:
          Container ID:   containerd://a1b2c3
          Image:          nginx:1.27
          Image ID:       docker.io/library/nginx@sha256:0d17
          Port:           <none>
          Host Port:      <none>
          State:          Running
            Started:      Wed, 01 Jan 2025 00:00:03 +0000
          Ready:          True
          Restart Count:  0
          Requests:
            cpu:     100m
            memory:  64Mi
          Environment:
            POD_IP:  10.244.1.5 (v1:status.podIP)
            MODE:    fast
          Mounts:
            /cache from cache (rw)
      Conditions:
        Type              Status
        Initialized       True 
        Ready             True 
        ContainersReady   True 
        PodScheduled      True 
      Volumes:
        cache:
          Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
          Medium:      
          SizeLimit:   <unset>
      QoS Class:       Burstable
      Node-Selectors:  <none>
      Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                       node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
      Events:
        Type    Reason     Age   From               Message
        ----    ------     ----  ----               -------
        Normal  Scheduled  119s  default-scheduler  Successfully assigned default/web-7d4b9c8f5-abcde to node-1
        Normal  Pulled     118s  kubelet            Container image "nginx:1.27" already present on machine"
    `);
    expect(h.server.requests.map((q) => `${q.path} ${JSON.stringify(q.query ?? {})}`)).toEqual([
      '/api/v1/namespaces/default/pods/web-7d4b9c8f5-abcde {}',
      '/api/v1/namespaces/default/pods/web-7d4b9c8f5-abcde {}',
      `/api/v1/namespaces/default/events {"fieldSelector":"involvedObject.name=web-7d4b9c8f5-abcde,involvedObject.namespace=default,involvedObject.uid=${uid}","limit":"500"}`,
    ]);
  });

  it('a name prefix describes every match; several objects are separated by two blank lines', async () => {
    const h = makeHarness();
    seedPods(h.server);
    const r = await h.run('kubectl describe pod web');
    expect(r.out).toMatch(/^Name: +web-7d4b9c8f5-abcde\n/);
    const all = await h.run('kubectl describe pods');
    expect(all.out.split('\n\n\nName:')).toHaveLength(2);
    expect((await h.run('kubectl describe pod nope')).err).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('deployment: replicas line, strategy, pod template, the new and old ReplicaSets', async () => {
    const h = makeHarness({ files: { 'deploy.yaml': DEPLOY_YAML } });
    await h.run('kubectl apply -f deploy.yaml');
    const d = h.server.get('apps/v1', 'Deployment', 'api')!;
    const template = JSON.parse(JSON.stringify(d.spec.template));
    template.metadata.labels['pod-template-hash'] = '5d8f7';
    h.server.seed({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api-5d8f7', namespace: 'default', labels: { app: 'api', 'pod-template-hash': '5d8f7' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: d.metadata.uid, controller: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api', 'pod-template-hash': '5d8f7' } }, template },
      status: { replicas: 2 },
    });
    d.status = { replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }] };
    h.server.update(d);
    h.clock.advance(MIN);
    const r = await h.run('kubectl describe deploy api');
    expect(r.out).toMatchInlineSnapshot(`
      "Name:                   api
      Namespace:              default
      CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000
      Labels:                 app=api
      Annotations:            <none>
      Selector:               app=api
      Replicas:               2 desired | 2 updated | 2 total | 1 available | 1 unavailable
      StrategyType:           RollingUpdate
      MinReadySeconds:        0
      RollingUpdateStrategy:  25% max unavailable, 25% max surge
      Pod Template:
        Labels:  app=api
        Containers:
         api:
          Image:         example/api:1.0
          Port:          <none>
          Host Port:     <none>
          Environment:   <none>
          Mounts:        <none>
        Volumes:         <none>
        Node-Selectors:  <none>
        Tolerations:     <none>
      Conditions:
        Type           Status  Reason
        ----           ------  ------
        Available      False   MinimumReplicasUnavailable
        Progressing    True    ReplicaSetUpdated
      OldReplicaSets:  <none>
      NewReplicaSet:   api-5d8f7 (2/2 replicas created)
      Events:          <none>"
    `);
    const rs = await h.run('kubectl describe rs api-5d8f7');
    expect(rs.out).toMatch(/Controlled By: +Deployment\/api\nReplicas: +2 current \/ 2 desired\nPods Status: +0 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
  });

  it('service: ports, target ports and endpoints from the EndpointSlices', async () => {
    const h = makeHarness({ files: { 'web.yaml': WEB_YAML } });
    await h.run('kubectl apply -f web.yaml');
    h.server.seed({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: '', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.1.5'], conditions: { ready: true } },
        { addresses: ['10.244.1.7'], conditions: { ready: false } },
      ],
    });
    expect((await h.run('kubectl describe svc web')).out).toMatchInlineSnapshot(`
      "Name:                     web
      Namespace:                default
      Labels:                   <none>
      Annotations:              <none>
      Selector:                 app=web
      Type:                     ClusterIP
      IP Family Policy:         SingleStack
      IP Families:              IPv4
      IP:                       10.96.0.10
      IPs:                      10.96.0.10
      Port:                     <unset>  80/TCP
      TargetPort:               8080/TCP
      Endpoints:                10.244.1.5:8080
      Session Affinity:         None
      Internal Traffic Policy:  Cluster
      Events:                   <none>"
    `);
    expect((await h.run('kubectl get endpointslices')).out).toMatch(/^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE\nweb-abc12 +IPv4 +8080 +10.244.1.5,10.244.1.7 +0s$/);
  });

  it('node: conditions, capacity, the non-terminated pods with their share, the lease', async () => {
    const h = makeHarness();
    seedNode(h.server);
    seedPods(h.server);
    h.server.seed({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: ts(50_000) } });
    h.clock.set(Date.parse(ts(MIN)));
    const r = await h.run('kubectl describe node node-1');
    expect(r.out).toMatchInlineSnapshot(`
      "Name:               node-1
      Roles:              control-plane
      Labels:             kubernetes.io/hostname=node-1
                          node-role.kubernetes.io/control-plane=
      Annotations:        <none>
      CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000
      Taints:             node-role.kubernetes.io/control-plane:NoSchedule
      Unschedulable:      false
      Lease:
        HolderIdentity:  node-1
        AcquireTime:     <unset>
        RenewTime:       Wed, 01 Jan 2025 00:00:50 +0000
      Conditions:
        Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message
        ----    ------  -----------------                 ------------------                ------         -------
        Ready   True    Wed, 01 Jan 2025 00:00:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletReady   kubelet is posting ready status
      Addresses:
        InternalIP:  172.18.0.3
        Hostname:    node-1
      Capacity:
        cpu:     2
        memory:  4Gi
        pods:    110
      Allocatable:
        cpu:     2
        memory:  4Gi
        pods:    110
      System Info:
        Machine ID:                 
        System UUID:                
        Boot ID:                    
        Kernel Version:             6.1.0
        OS Image:                   Debian GNU/Linux 12 (bookworm)
        Operating System:           linux
        Architecture:               amd64
        Container Runtime Version:  containerd://2.1.3
        Kubelet Version:            v1.34.0
        Kube-Proxy Version:         
      PodCIDR:                      10.244.1.0/24
      PodCIDRs:                     10.244.1.0/24
      Non-terminated Pods:          (2 in total)
        Namespace                   Name                   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
        ---------                   ----                   ------------  ----------  ---------------  -------------  ---
        default                     crashy                 0 (0%)        0 (0%)      0 (0%)           0 (0%)         60s
        default                     web-7d4b9c8f5-abcde    100m (5%)     0 (0%)      64Mi (1%)        0 (0%)         60s
      Allocated resources:
        (Total limits may be over 100 percent, i.e., overcommitted.)
        Resource           Requests   Limits
        --------           --------   ------
        cpu                100m (5%)  0 (0%)
        memory             64Mi (1%)  0 (0%)
        ephemeral-storage  0 (0%)     0 (0%)
      Events:              <none>"
    `);
    expect((await h.run('kubectl get lease -n kube-node-lease')).out).toMatch(/^NAME +HOLDER +AGE\nnode-1 +node-1 +/);
  });

  it('a custom resource: the generic describer (fields as title-cased labels)', async () => {
    const h = makeHarness({ files: { 'crd.yaml': CRD_YAML, 'w.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n  gearRatios: [1, 2]\n' } });
    await h.run('kubectl apply -f crd.yaml');
    await h.run('kubectl apply -f w.yaml');
    expect((await h.run('kubectl describe widget w1')).out).toMatchInlineSnapshot(`
      "Name:         w1
      Namespace:    default
      Labels:       <none>
      Annotations:  <none>
      API Version:  example.com/v1
      Kind:         Widget
      Metadata:
        Creation Timestamp:  2025-01-01T00:00:00Z
        Generation:          1
        Resource Version:    106
        UID:                 00000000-0000-4000-8000-000000000006
      Spec:
        Gear Ratios:
          1
          2
        Size:  3
      Events:  <none>"
    `);
  });
});
