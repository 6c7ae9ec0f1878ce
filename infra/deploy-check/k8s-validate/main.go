// Command k8s-validate checks rendered Kubernetes manifests (the output of `helm template`) the way an
// API server's decoder would, before any cluster sees them: every document is decoded strictly into its
// typed k8s.io/api struct (an unknown field, a duplicate field or a wrong type is an error), names and
// labels follow the API's rules, and the objects agree with each other (selectors select, ports exist,
// references resolve). It prints one line per problem and exits 1 when there is any.
//
// Usage: k8s-validate [--allow-secret NAME ...] FILE|- ...
//
// A Secret the chart references but does not render (an existing secret) must be named with
// --allow-secret, so a typo in a secret's name is still caught.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	yamlutil "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// serviceMonitorGVK is Prometheus Operator's CRD: not in k8s.io/api, so it is decoded into the
// subset of its schema this chart may use (see serviceMonitor below), strictly as well.
var serviceMonitorGVK = schema.GroupVersionKind{Group: "monitoring.coreos.com", Version: "v1", Kind: "ServiceMonitor"}

// serviceMonitor holds the ServiceMonitor fields the chart renders; any other field is refused, so a
// misspelt key cannot pass silently. Field names follow the CRD's published schema.
type serviceMonitor struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   metav1.ObjectMeta `json:"metadata"`
	Spec       struct {
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector *struct {
			MatchNames []string `json:"matchNames,omitempty"`
			Any        bool     `json:"any,omitempty"`
		} `json:"namespaceSelector,omitempty"`
		JobLabel  string `json:"jobLabel,omitempty"`
		Endpoints []struct {
			Port              string `json:"port"`
			Path              string `json:"path,omitempty"`
			Scheme            string `json:"scheme,omitempty"`
			Interval          string `json:"interval,omitempty"`
			ScrapeTimeout     string `json:"scrapeTimeout,omitempty"`
			BearerTokenSecret *struct {
				Name string `json:"name"`
				Key  string `json:"key"`
			} `json:"bearerTokenSecret,omitempty"`
			Authorization *struct {
				Type        string `json:"type,omitempty"`
				Credentials *struct {
					Name string `json:"name"`
					Key  string `json:"key"`
				} `json:"credentials,omitempty"`
			} `json:"authorization,omitempty"`
			TLSConfig *struct {
				InsecureSkipVerify bool   `json:"insecureSkipVerify,omitempty"`
				ServerName         string `json:"serverName,omitempty"`
			} `json:"tlsConfig,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

type object struct {
	source string
	gvk    schema.GroupVersionKind
	meta   metav1.Object
	value  any
}

func (o object) id() string { return fmt.Sprintf("%s/%s", o.gvk.Kind, o.meta.GetName()) }

type report struct{ problems []string }

func (r *report) add(o object, format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf("%s: %s: %s", o.source, o.id(), fmt.Sprintf(format, args...)))
}

func (r *report) addAll(o object, errs field.ErrorList) {
	for _, e := range errs {
		r.add(o, "%s", e.Error())
	}
}

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme, networkingv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err)
		}
	}
	return s
}

func main() {
	var allowedSecrets []string
	var files []string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		if args[i] == "--allow-secret" && i+1 < len(args) {
			allowedSecrets = append(allowedSecrets, args[i+1])
			i++
			continue
		}
		files = append(files, args[i])
	}
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "usage: k8s-validate [--allow-secret NAME ...] FILE|- ...")
		os.Exit(2)
	}
	scheme := newScheme()
	decoder := kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme, kjson.SerializerOptions{Yaml: true, Strict: true})
	r := &report{}
	var objects []object
	for _, file := range files {
		objs, err := decodeFile(file, scheme, decoder, r)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			os.Exit(2)
		}
		objects = append(objects, objs...)
	}
	if len(objects) == 0 {
		r.problems = append(r.problems, "no manifests found")
	}
	crossCheck(objects, allowedSecrets, r)
	kinds := map[string]int{}
	for _, o := range objects {
		kinds[o.gvk.Kind]++
	}
	var summary []string
	for k, n := range kinds {
		summary = append(summary, fmt.Sprintf("%s×%d", k, n))
	}
	sort.Strings(summary)
	for _, p := range r.problems {
		fmt.Println(p)
	}
	fmt.Printf("k8s-validate: %d manifests (%s), %d problems\n", len(objects), strings.Join(summary, " "), len(r.problems))
	if len(r.problems) > 0 {
		os.Exit(1)
	}
}

func decodeFile(file string, scheme *runtime.Scheme, decoder *kjson.Serializer, r *report) ([]object, error) {
	var in io.Reader = os.Stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in = f
	}
	reader := yamlutil.NewYAMLReader(bufio.NewReader(in))
	var objects []object
	for n := 1; ; n++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return objects, nil
		}
		if err != nil {
			return nil, err
		}
		source := fmt.Sprintf("%s#%d", file, n)
		if s := sourceComment(doc); s != "" {
			source = s
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			r.problems = append(r.problems, fmt.Sprintf("%s: not YAML: %v", source, err))
			continue
		}
		if head.APIVersion == "" && head.Kind == "" {
			continue // an empty document (a template that rendered nothing)
		}
		gv, err := schema.ParseGroupVersion(head.APIVersion)
		if err != nil {
			r.problems = append(r.problems, fmt.Sprintf("%s: apiVersion %q: %v", source, head.APIVersion, err))
			continue
		}
		gvk := gv.WithKind(head.Kind)
		if gvk == serviceMonitorGVK {
			var sm serviceMonitor
			if err := yaml.UnmarshalStrict(doc, &sm); err != nil {
				r.problems = append(r.problems, fmt.Sprintf("%s: ServiceMonitor: %v", source, err))
				continue
			}
			objects = append(objects, object{source, gvk, &sm.Metadata, &sm})
			continue
		}
		if !scheme.Recognizes(gvk) {
			r.problems = append(r.problems, fmt.Sprintf("%s: %s %s is not a kind this checker knows (apps/v1, v1, autoscaling/v2, policy/v1, networking.k8s.io/v1, ServiceMonitor)", source, head.APIVersion, head.Kind))
			continue
		}
		obj, _, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			r.problems = append(r.problems, fmt.Sprintf("%s: %s: %v", source, head.Kind, err))
			continue
		}
		accessor, ok := obj.(metav1.Object)
		if !ok {
			r.problems = append(r.problems, fmt.Sprintf("%s: %s has no metadata", source, head.Kind))
			continue
		}
		objects = append(objects, object{source, gvk, accessor, obj})
	}
}

// sourceComment returns the template path helm writes above each document ("# Source: chart/templates/x.yaml").
func sourceComment(doc []byte) string {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if s, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("# Source: ")); ok {
			return string(s)
		}
	}
	return ""
}

// workload is a Deployment's pod template, which Services, PDBs, HPAs and NetworkPolicies point at.
type workload struct {
	obj    object
	deploy *appsv1.Deployment
}

func crossCheck(objects []object, allowedSecrets []string, r *report) {
	seen := map[string]bool{}
	secrets := map[string]map[string]bool{}
	configMaps := map[string]map[string]bool{}
	var workloads []workload
	services := map[string]*corev1.Service{}
	for _, o := range objects {
		key := o.gvk.Kind + "/" + o.meta.GetNamespace() + "/" + o.meta.GetName()
		if seen[key] {
			r.add(o, "rendered twice")
		}
		seen[key] = true
		checkMeta(o, r)
		switch v := o.value.(type) {
		case *corev1.Secret:
			keys := map[string]bool{}
			for k := range v.Data {
				keys[k] = true
			}
			for k := range v.StringData {
				keys[k] = true
			}
			secrets[v.Name] = keys
		case *corev1.ConfigMap:
			keys := map[string]bool{}
			for k := range v.Data {
				keys[k] = true
			}
			configMaps[v.Name] = keys
		case *appsv1.Deployment:
			workloads = append(workloads, workload{o, v})
		case *corev1.Service:
			services[v.Name] = v
		}
	}
	for _, name := range allowedSecrets {
		if _, ok := secrets[name]; !ok {
			secrets[name] = nil // exists outside the chart; its keys are unknown here
		}
	}
	for _, w := range workloads {
		checkDeployment(w, secrets, configMaps, r)
	}
	for _, o := range objects {
		switch v := o.value.(type) {
		case *corev1.Service:
			checkService(o, v, workloads, r)
		case *autoscalingv2.HorizontalPodAutoscaler:
			checkHPA(o, v, workloads, r)
		case *policyv1.PodDisruptionBudget:
			if v.Spec.MinAvailable == nil && v.Spec.MaxUnavailable == nil {
				r.add(o, "sets neither minAvailable nor maxUnavailable")
			}
			if v.Spec.MinAvailable != nil && v.Spec.MaxUnavailable != nil {
				r.add(o, "sets both minAvailable and maxUnavailable")
			}
			checkSelectsSomething(o, v.Spec.Selector, workloads, r)
		case *networkingv1.NetworkPolicy:
			if len(v.Spec.PodSelector.MatchLabels) > 0 || len(v.Spec.PodSelector.MatchExpressions) > 0 {
				checkSelectsSomething(o, &v.Spec.PodSelector, workloads, r)
			}
			for i, rule := range v.Spec.Ingress {
				for j, peer := range rule.From {
					if peer.PodSelector != nil && peer.NamespaceSelector == nil {
						checkSelectsSomething(o, peer.PodSelector, workloads, r, fmt.Sprintf("spec.ingress[%d].from[%d].podSelector", i, j))
					}
				}
			}
		case *serviceMonitor:
			checkServiceMonitor(o, v, services, secrets, r)
		}
	}
}

func checkMeta(o object, r *report) {
	name := o.meta.GetName()
	var msgs []string
	if o.gvk.Kind == "Service" {
		msgs = validation.IsDNS1035Label(name)
	} else {
		msgs = validation.IsDNS1123Subdomain(name)
	}
	for _, m := range msgs {
		r.add(o, "metadata.name: %s", m)
	}
	r.addAll(o, metavalidation.ValidateLabels(o.meta.GetLabels(), field.NewPath("metadata", "labels")))
}

func checkDeployment(w workload, secrets, configMaps map[string]map[string]bool, r *report) {
	o, d := w.obj, w.deploy
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if d.Spec.Selector == nil || err != nil || sel.Empty() {
		r.add(o, "spec.selector must be a non-empty label selector")
	} else if !sel.Matches(labels.Set(d.Spec.Template.Labels)) {
		r.add(o, "spec.selector %s does not match the pod template's labels %v", sel, d.Spec.Template.Labels)
	}
	r.addAll(o, metavalidation.ValidateLabels(d.Spec.Template.Labels, field.NewPath("spec", "template", "metadata", "labels")))
	pod := d.Spec.Template.Spec
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
		if v.Secret != nil {
			checkRef(o, "volume "+v.Name, v.Secret.SecretName, optional(v.Secret.Optional), secrets, itemKeys(v.Secret.Items), r)
		}
		if v.ConfigMap != nil {
			checkRef(o, "volume "+v.Name, v.ConfigMap.Name, optional(v.ConfigMap.Optional), configMaps, itemKeys(v.ConfigMap.Items), r)
		}
	}
	podNonRoot := pod.SecurityContext != nil && pod.SecurityContext.RunAsNonRoot != nil && *pod.SecurityContext.RunAsNonRoot
	if len(pod.Containers) == 0 {
		r.add(o, "has no containers")
	}
	for _, c := range append(append([]corev1.Container{}, pod.InitContainers...), pod.Containers...) {
		p := "container " + c.Name
		for _, m := range validation.IsDNS1123Label(c.Name) {
			r.add(o, "%s: name: %s", p, m)
		}
		if c.Image == "" {
			r.add(o, "%s: no image", p)
		}
		if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() {
			r.add(o, "%s: needs cpu and memory requests (the scheduler and the HPA use them)", p)
		}
		if c.Resources.Limits.Memory().IsZero() {
			r.add(o, "%s: needs a memory limit", p)
		}
		nonRoot := podNonRoot
		if c.SecurityContext != nil && c.SecurityContext.RunAsNonRoot != nil {
			nonRoot = *c.SecurityContext.RunAsNonRoot
		}
		if !nonRoot {
			r.add(o, "%s: must run as non-root (securityContext.runAsNonRoot)", p)
		}
		if c.SecurityContext == nil || c.SecurityContext.AllowPrivilegeEscalation == nil || *c.SecurityContext.AllowPrivilegeEscalation {
			r.add(o, "%s: must set securityContext.allowPrivilegeEscalation: false", p)
		}
		for _, port := range c.Ports {
			if port.Name != "" {
				for _, m := range validation.IsValidPortName(port.Name) {
					r.add(o, "%s: port name %q: %s", p, port.Name, m)
				}
			}
			for _, m := range validation.IsValidPortNum(int(port.ContainerPort)) {
				r.add(o, "%s: containerPort: %s", p, m)
			}
		}
		for _, e := range c.Env {
			for _, m := range validation.IsEnvVarName(e.Name) {
				r.add(o, "%s: env %q: %s", p, e.Name, m)
			}
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				ref := e.ValueFrom.SecretKeyRef
				checkRef(o, p+" env "+e.Name, ref.Name, optional(ref.Optional), secrets, []string{ref.Key}, r)
			}
			if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
				ref := e.ValueFrom.ConfigMapKeyRef
				checkRef(o, p+" env "+e.Name, ref.Name, optional(ref.Optional), configMaps, []string{ref.Key}, r)
			}
		}
		for _, from := range c.EnvFrom {
			if from.SecretRef != nil {
				checkRef(o, p+" envFrom", from.SecretRef.Name, optional(from.SecretRef.Optional), secrets, nil, r)
			}
			if from.ConfigMapRef != nil {
				checkRef(o, p+" envFrom", from.ConfigMapRef.Name, optional(from.ConfigMapRef.Optional), configMaps, nil, r)
			}
		}
		for _, m := range c.VolumeMounts {
			if _, ok := volumes[m.Name]; !ok {
				r.add(o, "%s: volumeMount %q names no volume of the pod", p, m.Name)
			}
		}
		isInit := false
		for _, ic := range pod.InitContainers {
			isInit = isInit || ic.Name == c.Name
		}
		if !isInit && (c.ReadinessProbe == nil || c.LivenessProbe == nil) {
			r.add(o, "%s: needs a readiness and a liveness probe", p)
		}
		for _, probe := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
			if probe != nil && probe.HTTPGet != nil && probe.HTTPGet.Port.Type == 1 && !hasPort(c, probe.HTTPGet.Port.StrVal) {
				r.add(o, "%s: probe port %q is not a named port of the container", p, probe.HTTPGet.Port.StrVal)
			}
		}
	}
}

func optional(b *bool) bool { return b != nil && *b }

func itemKeys(items []corev1.KeyToPath) []string {
	keys := make([]string, 0, len(items))
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	return keys
}

// checkRef reports a reference to a Secret or ConfigMap that is neither rendered nor declared as existing,
// or a key missing from a rendered one.
func checkRef(o object, what, name string, isOptional bool, known map[string]map[string]bool, keys []string, r *report) {
	got, ok := known[name]
	if !ok {
		if !isOptional {
			r.add(o, "%s: refers to %q, which is neither rendered nor declared as existing", what, name)
		}
		return
	}
	if got == nil {
		return
	}
	for _, k := range keys {
		if !got[k] {
			r.add(o, "%s: %q has no key %q", what, name, k)
		}
	}
}

func hasPort(c corev1.Container, name string) bool {
	for _, p := range c.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}

func matching(sel *metav1.LabelSelector, workloads []workload) ([]workload, error) {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return nil, err
	}
	var out []workload
	for _, w := range workloads {
		if s.Matches(labels.Set(w.deploy.Spec.Template.Labels)) {
			out = append(out, w)
		}
	}
	return out, nil
}

func checkSelectsSomething(o object, sel *metav1.LabelSelector, workloads []workload, r *report, where ...string) []workload {
	path := "spec.selector"
	if len(where) > 0 {
		path = where[0]
	}
	if sel == nil {
		r.add(o, "%s is missing", path)
		return nil
	}
	got, err := matching(sel, workloads)
	if err != nil {
		r.add(o, "%s: %v", path, err)
		return nil
	}
	if len(got) == 0 {
		r.add(o, "%s selects no pod of any rendered Deployment", path)
	}
	return got
}

func checkService(o object, s *corev1.Service, workloads []workload, r *report) {
	if len(s.Spec.Selector) == 0 {
		r.add(o, "has no selector")
		return
	}
	selected := checkSelectsSomething(o, &metav1.LabelSelector{MatchLabels: s.Spec.Selector}, workloads, r)
	for _, port := range s.Spec.Ports {
		if port.Name != "" {
			for _, m := range validation.IsValidPortName(port.Name) {
				r.add(o, "port name %q: %s", port.Name, m)
			}
		}
		if port.TargetPort.Type != 1 {
			continue
		}
		for _, w := range selected {
			found := false
			for _, c := range w.deploy.Spec.Template.Spec.Containers {
				found = found || hasPort(c, port.TargetPort.StrVal)
			}
			if !found {
				r.add(o, "targetPort %q is not a named port of %s", port.TargetPort.StrVal, w.obj.id())
			}
		}
	}
}

func checkHPA(o object, h *autoscalingv2.HorizontalPodAutoscaler, workloads []workload, r *report) {
	if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
		r.add(o, "minReplicas %d > maxReplicas %d", *h.Spec.MinReplicas, h.Spec.MaxReplicas)
	}
	if len(h.Spec.Metrics) == 0 {
		r.add(o, "has no metrics")
	}
	ref := h.Spec.ScaleTargetRef
	var target *workload
	for i := range workloads {
		if ref.Kind == "Deployment" && workloads[i].deploy.Name == ref.Name {
			target = &workloads[i]
		}
	}
	if target == nil {
		r.add(o, "scaleTargetRef %s/%s is not a rendered Deployment", ref.Kind, ref.Name)
		return
	}
	for _, m := range h.Spec.Metrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil {
			for _, c := range target.deploy.Spec.Template.Spec.Containers {
				if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
					r.add(o, "scales on %s utilization but container %s of %s has no %s request", m.Resource.Name, c.Name, target.obj.id(), m.Resource.Name)
				}
			}
		}
	}
}

func checkServiceMonitor(o object, sm *serviceMonitor, services map[string]*corev1.Service, secrets map[string]map[string]bool, r *report) {
	sel, err := metav1.LabelSelectorAsSelector(&sm.Spec.Selector)
	if err != nil || sel.Empty() {
		r.add(o, "spec.selector must be a non-empty label selector")
		return
	}
	if len(sm.Spec.Endpoints) == 0 {
		r.add(o, "has no endpoints")
	}
	var matched []*corev1.Service
	for _, s := range services {
		if sel.Matches(labels.Set(s.Labels)) {
			matched = append(matched, s)
		}
	}
	if len(matched) == 0 {
		r.add(o, "spec.selector selects no rendered Service")
	}
	// Prometheus scrapes an endpoint on each selected Service that has the port, so a port must exist on one.
	for _, e := range sm.Spec.Endpoints {
		found := false
		for _, s := range matched {
			for _, p := range s.Spec.Ports {
				found = found || p.Name == e.Port
			}
		}
		if !found && len(matched) > 0 {
			r.add(o, "endpoint port %q is a port of none of the selected Services", e.Port)
		}
		if e.BearerTokenSecret != nil {
			checkRef(o, "endpoint bearerTokenSecret", e.BearerTokenSecret.Name, false, secrets, []string{e.BearerTokenSecret.Key}, r)
		}
		if e.Authorization != nil && e.Authorization.Credentials != nil {
			c := e.Authorization.Credentials
			checkRef(o, "endpoint authorization", c.Name, false, secrets, []string{c.Key}, r)
		}
	}
}
