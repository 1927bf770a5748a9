import { AccountStore } from './account-store.ts';
import type { AppDatabase } from './database.ts';
import { InviteStore } from './invite-store.ts';
import { ProfileStore } from './profile-store.ts';
import { RoomGrantStore } from './room-grant-store.ts';
import { RoomStatsStore } from './room-stats-store.ts';
import { RoomStore } from './room-store.ts';
import { SeminarInviteStore } from './seminar-invite-store.ts';
import { SeminarStore } from './seminar-store.ts';
import { SessionStore } from './session-store.ts';
import { SettingsStore } from './settings-store.ts';
import { UpdateStore } from './update-store.ts';
import { WebSessionStore } from './web-session-store.ts';

/** Every store of the server's database, one per table group, sharing one connection. */
export interface ServerStores {
  db: AppDatabase;
  rooms: RoomStore;
  invites: InviteStore;
  updates: UpdateStore;
  sessions: SessionStore;
  profiles: ProfileStore;
  accounts: AccountStore;
  webSessions: WebSessionStore;
  seminars: SeminarStore;
  seminarInvites: SeminarInviteStore;
  grants: RoomGrantStore;
  roomStats: RoomStatsStore;
  settings: SettingsStore;
}

/** Prepares every store's statements on an open, migrated database. */
export function openServerStores(db: AppDatabase): ServerStores {
  return {
    db,
    rooms: new RoomStore(db),
    invites: new InviteStore(db),
    updates: new UpdateStore(db),
    sessions: new SessionStore(db),
    profiles: new ProfileStore(db),
    accounts: new AccountStore(db),
    webSessions: new WebSessionStore(db),
    seminars: new SeminarStore(db),
    seminarInvites: new SeminarInviteStore(db),
    grants: new RoomGrantStore(db),
    roomStats: new RoomStatsStore(db),
    settings: new SettingsStore(db),
  };
}
