#!/usr/bin/env python3
"""Session sensor benchmark: action -> event queued latency, sensor memory and CPU.

Starts a private X display (Xvfb + openbox), the agent service (not enrolled: events stay
queued, where the latency is read) and vigie-session as user nobody, then:
  * retitles a CRM window N times (window latency includes the sensor's debounce),
  * copies text to the clipboard N times (xclip), and writes N files to a watched folder,
  * measures the sensor's CPU over 10 s idle and over 10 s of 10 window switches per second,
  * reads its resident memory (VmRSS, and VmHWM, the peak).
Latency = the service's timestamp on the event (when it read the sensor's line) minus the time
just before the command that caused it was started: it includes starting xdotool/xclip/cp.
Usage: bench/session_bench.py BUILD_DIR [N [DEBOUNCE_MS]]   (run as root; prints a table, never fails on a target)
"""
import json, os, statistics, subprocess, sys, tempfile, time

build = os.path.abspath(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
debounce = sys.argv[3] if len(sys.argv) > 3 else "150"
agent = f"{build}/agent/vigie-agent"
session = f"{build}/agent/vigie-session"
work = tempfile.mkdtemp(prefix="vigie-session-bench-")
os.chmod(work, 0o755)
downloads = f"{work}/Downloads"
os.mkdir(downloads)
os.chown(downloads, 65534, 65534)
procs = []


def start(argv, **kw):
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    procs.append(p)
    return p


def run(argv):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def queued():
    out = subprocess.run([agent, "show", "--json", "--data-dir", f"{work}/data"],
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def millis(event):
    t = time.strptime(event["time"][:19], "%Y-%m-%dT%H:%M:%S")
    return (time.mktime(t) - time.timezone) * 1000 + int(event["time"][20:23])


def percentiles(values):
    values = sorted(values)
    return (statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.95))])


try:
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    procs.append(xvfb)
    os.environ["DISPLAY"] = ":" + xvfb.stdout.readline().decode().strip()
    start(["openbox"])
    while subprocess.run(["xdotool", "get_desktop"], capture_output=True).returncode != 0:
        time.sleep(0.05)
    policy = f"{work}/policy.json"
    with open(policy, "w") as f:
        json.dump({"policy_version": "bench", "clipboard": "all",
                   "applications": [{"app": "crm", "brand": "B", "process": "^CrmDesktop$",
                                     "screens": [{"screen": "customer",
                                                  "title": "^Fiche client (C-[0-9]+)"}]}],
                   "watched_places": [{"path": downloads, "class": "downloads"}]}, f)
    os.chmod(policy, 0o644)
    start([agent, "run", "--data-dir", f"{work}/data", "--socket", f"{work}/agent.sock"])
    while not os.path.exists(f"{work}/agent.sock"):
        time.sleep(0.02)
    start(["xterm", "-class", "CrmDesktop", "-T", "Fiche client C-0"])
    window = subprocess.run(["xdotool", "search", "--sync", "--class", "CrmDesktop"],
                            capture_output=True, text=True).stdout.split()[0]
    sensor = start(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", session,
                    "--policy", policy, "--socket", f"{work}/agent.sock", "--session-id", "b", "--debounce-ms", debounce])
    time.sleep(1.0)
    sensor_pid = int(subprocess.run(["pgrep", "-u", "65534", "-f", "vigie-session --policy"],
                                    capture_output=True, text=True).stdout.split()[0])

    window_starts, copy_starts, file_starts = {}, [], []
    for i in range(1, count + 1):
        window_starts[f"C-{i}"] = time.time() * 1000
        run(["xdotool", "set_window", "--name", f"Fiche client C-{i} - Acme", window])
        time.sleep(0.25)  # longer than the debounce: every title counts
    for i in range(count):
        copy_starts.append(time.time() * 1000)
        p = start(["xclip", "-quiet", "-selection", "clipboard"], stdin=subprocess.PIPE)
        p.stdin.write(f"copie {i} a{i}@example.fr".encode()); p.stdin.close()
        time.sleep(0.1)
        p.kill(); p.wait()
    for i in range(count):
        file_starts.append(time.time() * 1000)
        run(["cp", policy, f"{downloads}/export{i}.csv"])
        time.sleep(0.05)
    time.sleep(1.0)

    events = queued()
    window_lat = [millis(e) - window_starts[e["data"]["record_id"]]
                  for e in events if e["type"] == "crm.view" and e["data"]["record_id"] in window_starts]
    copies = [e for e in events if e["type"] == "clipboard.copy"]
    files = [e for e in events if e["type"] == "file.export"]
    copy_lat = [millis(e) - s for e, s in zip(copies, copy_starts)]
    file_lat = [millis(e) - s for e, s in zip(files, file_starts)]

    before = cpu_seconds(sensor_pid); time.sleep(10); idle_cpu = cpu_seconds(sensor_pid) - before
    before = cpu_seconds(sensor_pid)
    t_end = time.time() + 10
    i = 0
    while time.time() < t_end:
        run(["xdotool", "set_window", "--name", f"Fiche client C-{100000 + i} - Acme", window])
        i += 1
        time.sleep(max(0.0, 0.1 - 0.005))
    busy_cpu = cpu_seconds(sensor_pid) - before

    print(f"{'figure':58} {'value':>14}")
    for name, lat in ((f"window title -> crm.view queued (incl. {debounce} ms debounce)", window_lat),
                      ("clipboard copy -> clipboard.copy queued", copy_lat),
                      ("file written -> file.export queued", file_lat)):
        p50, p95 = percentiles(lat)
        print(f"{name:58} p50 {p50:5.0f} ms, p95 {p95:5.0f} ms  (n={len(lat)})")
    print(f"{'sensor RSS now / peak':58} {memory_kib(sensor_pid, 'VmRSS') / 1024:.1f} MiB / "
          f"{memory_kib(sensor_pid, 'VmHWM') / 1024:.1f} MiB")
    print(f"{'sensor CPU idle, 10 s':58} {idle_cpu * 100 / 10:.2f} % of a core")
    print(f"{'sensor CPU, {0} window switches in 10 s'.format(i):58} {busy_cpu * 100 / 10:.2f} % of a core")
finally:
    for p in reversed(procs):
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
