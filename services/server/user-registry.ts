/** Connected users by name, in the order they connected. */
export interface Recipient {
  send(line: string): void;
}

export class UserRegistry<T extends Recipient> {
  private readonly users = new Map<string, T>();

  has(name: string): boolean {
    return this.users.has(name);
  }

  get(name: string): T | undefined {
    return this.users.get(name);
  }

  add(name: string, user: T): void {
    this.users.set(name, user);
  }

  /** Removes `name` only if it still belongs to `user`, so a stale session cannot evict a newer one. */
  remove(name: string, user: T): boolean {
    if (this.users.get(name) !== user) return false;
    return this.users.delete(name);
  }

  names(): string[] {
    return [...this.users.keys()];
  }

  broadcast(line: string, except?: T): void {
    for (const user of this.users.values()) if (user !== except) user.send(line);
  }

  get size(): number {
    return this.users.size;
  }
}
