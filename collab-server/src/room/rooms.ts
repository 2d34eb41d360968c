import type { CollabDeps } from '../core/collab-deps.js';
import { perProcess } from '../core/per-process.js';
import { sendMessage } from '../core/send.js';
import { UpdateOutbox } from '../core/update-outbox.js';
import { writeSyncUpdate } from '../core/y-messages.js';
import { DEFAULT_ROOM_OPTIONS, Room, type RoomOptions } from './room.js';

/**
 * The rooms of one handler process, one per release it has seen (ARCHITECTURE.md). Lambda keeps
 * module state in a warm instance, and the local gateway's workers live as long as the gateway;
 * a cold instance starts empty and loads what it needs. Rooms unused for `maxAgeMs` with nothing
 * left to store are dropped when another is created, so a process keeps only the releases in use.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  /** Fan-out of stored updates, merged per connection when posts back up (UpdateOutbox). */
  private readonly outbox: UpdateOutbox;

  constructor(
    private readonly deps: CollabDeps,
    private readonly options: RoomOptions = DEFAULT_ROOM_OPTIONS,
  ) {
    this.outbox = new UpdateOutbox((connectionId, update) =>
      sendMessage(deps, connectionId, writeSyncUpdate(update)),
    );
  }

  get(releaseId: string): Room {
    let room = this.rooms.get(releaseId);
    if (!room) {
      this.evictIdle();
      room = new Room(this.deps, releaseId, this.outbox, this.options);
      this.rooms.set(releaseId, room);
    }
    return room;
  }

  /** Forgets a release (deleted): a later room for the id starts from DynamoDB. */
  forget(releaseId: string): void {
    this.rooms.delete(releaseId);
  }

  has(releaseId: string): boolean {
    return this.rooms.has(releaseId);
  }

  get size(): number {
    return this.rooms.size;
  }

  private evictIdle(): void {
    const now = this.deps.now();
    for (const [releaseId, room] of this.rooms) {
      if (room.isIdle && now - room.lastUsedAt > this.options.maxAgeMs) this.rooms.delete(releaseId);
    }
  }
}

/** This process's rooms. */
export const roomsOf = perProcess((deps) => new Rooms(deps));

/** The room of `releaseId` in this process. */
export const roomOf = (deps: CollabDeps, releaseId: string): Room => roomsOf(deps).get(releaseId);
