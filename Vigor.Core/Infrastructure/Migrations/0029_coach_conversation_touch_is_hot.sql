-- Every coach message touches its conversation's updated_at (the user's message, then the reply). With updated_at in
-- the index coach_conversations_user, each touch was a non-HOT update: a new index entry in both indexes, twice per
-- message. Nothing reads that order (conversations are listed newest first by their time-ordered id), so the index
-- keys the user and the id instead: a touch changes no indexed column and can stay on its page (HOT), for which the
-- table now leaves 10 % of each new page free. Deleting a user's conversations (ON DELETE CASCADE) still finds them by
-- user_id.
CREATE INDEX coach_conversations_user_id ON coach_conversations (user_id, id DESC);
DROP INDEX coach_conversations_user;
ALTER TABLE coach_conversations SET (fillfactor = 90);
