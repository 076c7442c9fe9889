// The Node.js side of the load generator (bench/load.py, NodeEngine): socket.io-client 4
// sockets driven by JSON lines on stdin, one answer line on stdout per command.
//
// Python keeps the schedule (when each item goes, which target's turn it is) and the
// arithmetic; this process only holds the sockets, stamps each send with the time it really
// went out, and notes each message heard. A Node client costs a fraction of what a Python
// AsyncClient costs per message, so on a 2-core machine the generator takes less of the CPU
// that the servers under test need, and adds less of its own queueing to their latencies.
//
// Times are CLOCK_MONOTONIC seconds (process.hrtime), the clock of Python's perf_counter.
//
// Commands ({op, ...}; the answer carries {ok: true, ...} or {ok: false, error}):
//   connect  {url, sockets: [{headers}], concurrency, timeout} -> {ids}
//   calls    {calls: [{socket, event, payload}], concurrency, timeout} -> {acks}
//   listen   {sockets, event, key: [paths], strip, fanout} each message heard is noted as
//            [tag, socket, time] in `received` (a `fanout` event: an item's delivery, counted
//            for the drain) or [event, key, socket, time] in `heard`
//   emits    {items: [{socket, event, payload, stamp: [path], prefix, head, expect, label}]}
//            sends at once; `head` makes the tag "head t0", written at `stamp` after `prefix`
//   play     {steps: [{at, items}]} sends each step's items `at` seconds after the start
//            (late steps go at once), and answers once the last has gone
//   collect  {drain} waits (up to drain s) for every ack and expected delivery -> {record}
//   cpu      -> {seconds} this process's CPU so far
//   close    closes every socket and exits
"use strict";
const { io } = require("socket.io-client");
const readline = require("readline");

const now = () => Number(process.hrtime.bigint()) / 1e9;
const sockets = [];
let record = fresh();

function fresh() {
  return { sent: {}, acks: [], received: [], heard: [], labelled: [], expected: 0, delivered: 0, emitted: 0,
           disconnects: 0, unsent: 0, last_ack: 0 };
}

function at(data, path) {
  let value = data;
  for (const key of path) value = value == null ? undefined : value[key];
  return value;
}

function put(data, path, value) {
  let target = data;
  for (const key of path.slice(0, -1)) target = target[key];
  target[path[path.length - 1]] = value;
}

function ackOk(ack) {
  if (ack === true) return [true, ""];
  if (ack && typeof ack === "object") return [ack.ok === true, ack.ok === true ? "" : String(at(ack, ["error", "code"]) ?? "?")];
  return [false, "no-ack"];
}

async function limited(jobs, concurrency) {
  const results = new Array(jobs.length);
  let next = 0;
  async function worker() {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return results;
}

function open(url, headers, timeout) {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false,
                             forceNew: true, timeout: timeout * 1000 });
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => { socket.close(); reject(new Error(`connect: ${err.message}`)); });
  });
}

function call(socket, event, payload, timeout) {
  return socket.timeout(timeout * 1000).emitWithAck(event, payload);
}

function send(items) {
  for (const item of items) {
    const socket = sockets[item.socket];
    if (!socket.connected) { record.unsent += 1; continue; }
    const payload = item.payload;
    const t0 = now();
    if (item.head) {
      const tag = `${item.head} ${t0}`;
      put(payload, item.stamp, (item.prefix || "") + tag);
      record.sent[tag] = item.socket;
      record.expected += item.expect || 0;
    }
    if (item.label) record.labelled.push([item.label, t0, item.socket]);
    record.emitted += 1;
    const mine = record;
    socket.emit(item.event, payload, (ack) => {
      const [ok, code] = ackOk(ack);
      mine.last_ack = now();
      mine.acks.push([mine.last_ack - t0, ok, code, item.label || null]);
    });
  }
}

const commands = {
  async connect({ url, sockets: specs, concurrency = 20, timeout = 60 }) {
    // All or none: the sockets of a batch that failed are closed, not left open without ids.
    const settled = await limited(specs.map((spec) => () => open(url, spec.headers || {}, timeout).then(
      (socket) => ({ socket }), (error) => ({ error }))), concurrency);
    const failed = settled.filter((result) => result.error);
    if (failed.length) {
      for (const result of settled) if (result.socket) result.socket.close();
      throw new Error(`${failed.length} of ${specs.length} sockets did not connect: ${failed[0].error.message}`);
    }
    const ids = settled.map(({ socket }) => {
      const id = sockets.push(socket) - 1;
      socket.on("disconnect", () => { record.disconnects += 1; });
      return id;
    });
    return { ids };
  },

  async calls({ calls, concurrency = 20, timeout = 60 }) {
    const acks = await limited(calls.map((c) => () => call(sockets[c.socket], c.event, c.payload, timeout)), concurrency);
    return { acks };
  },

  async listen({ sockets: ids, event, key, strip = 0, fanout = false }) {
    for (const id of ids) {
      sockets[id].on(event, (data) => {
        const t = now();
        const value = key.map((part) => at(data, Array.isArray(part) ? part : [part])).join(":");
        const tag = strip ? value.slice(strip) : value;
        if (!fanout) {
          record.heard.push([event, tag, id, t]);
          return;
        }
        record.received.push([tag, id, t]);
        if (record.sent[tag] !== undefined && record.sent[tag] !== id) record.delivered += 1;
      });
    }
    return {};
  },

  async emits({ items }) {
    send(items);
    return {};
  },

  async play({ steps }) {
    const start = now();
    for (const step of steps) {
      const wait = start + step.at - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      send(step.items);
    }
    return {};
  },

  async collect({ drain = 15 }) {
    const deadline = now() + drain;
    while (now() < deadline && (record.acks.length < record.emitted || record.delivered < record.expected)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const done = record;
    record = fresh();
    return { record: done };
  },

  async cpu() {
    const usage = process.cpuUsage();
    return { seconds: (usage.user + usage.system) / 1e6 };
  },

  async close() {
    for (const socket of sockets) socket.close();
    setTimeout(() => process.exit(0), 100);
    return {};
  },
};

// One command at a time, in order: each answer is written before the next command starts.
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      const command = JSON.parse(line);
      answer = { ok: true, ...(await commands[command.op](command)) };
    } catch (err) {
      answer = { ok: false, error: String(err && err.message ? err.message : err) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
}).on("close", () => process.exit(0));
