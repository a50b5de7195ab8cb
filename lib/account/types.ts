/** The parts of a signed-in session the account services decide with. */
export interface ActiveSessionLike {
  session: { id: string; authTime: Date };
  user: { id: string; username: string };
}
