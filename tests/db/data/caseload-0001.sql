-- A case file as icrctl wrote it while 0001 was its newest schema revision (the code of commit
-- 3904abf, run as a user would: case create, member add/edit/remove, partner add/link, phase set,
-- eval schedule/record; two entries by the user 'jüri'). The audit chain is hashed as that code
-- hashed it: the frozen 0001 formula in migration 0002 must accept it as it is.
BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0001');
CREATE TABLE attendance (
	id INTEGER NOT NULL, 
	meeting_id INTEGER NOT NULL, 
	member_id INTEGER, 
	partner_id INTEGER, 
	presence VARCHAR(10) NOT NULL, 
	CONSTRAINT pk_attendance PRIMARY KEY (id), 
	CONSTRAINT ck_attendance_one_person CHECK ((member_id IS NULL) <> (partner_id IS NULL)), 
	CONSTRAINT fk_attendance_meeting_id_meetings FOREIGN KEY(meeting_id) REFERENCES meetings (id) ON DELETE CASCADE, 
	CONSTRAINT fk_attendance_member_id_members FOREIGN KEY(member_id) REFERENCES members (id) ON DELETE CASCADE, 
	CONSTRAINT fk_attendance_partner_id_partners FOREIGN KEY(partner_id) REFERENCES partners (id) ON DELETE CASCADE
);
INSERT INTO "attendance" VALUES(1,1,1,NULL,'attended');
INSERT INTO "attendance" VALUES(2,1,NULL,1,'attended');
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	user VARCHAR(100) NOT NULL, 
	command VARCHAR(100) NOT NULL, 
	action VARCHAR(20) NOT NULL, 
	ref VARCHAR(64), 
	entity VARCHAR(40) NOT NULL, 
	fields TEXT, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	CONSTRAINT pk_audit_log PRIMARY KEY (id)
);
INSERT INTO "audit_log" VALUES(1,'2026-12-02 01:43:37.000000','root','python -m icrctl case create','create','GO-2026-014','case','opened,phase,ref,title','0000000000000000000000000000000000000000000000000000000000000000','62b91fcdfa65f74681edd105eaa5a53c0948dc1613ef4203ab5b4a86d96597f0');
INSERT INTO "audit_log" VALUES(2,'2026-12-02 01:43:40.000000','root','python -m icrctl member add','create','GO-2026-014','member','born,key,name,role','62b91fcdfa65f74681edd105eaa5a53c0948dc1613ef4203ab5b4a86d96597f0','2f627cbd04c423a51dc09a4a9cd732d37f453095c0572b4233091bdeb7c0aa9b');
INSERT INTO "audit_log" VALUES(3,'2026-12-02 01:43:43.000000','root','python -m icrctl member add','create','GO-2026-014','member','born,key,name,role','2f627cbd04c423a51dc09a4a9cd732d37f453095c0572b4233091bdeb7c0aa9b','b59850b3df7c78fc1a2b0318b625e8bc10f2264a242c61f5af254295703a96f0');
INSERT INTO "audit_log" VALUES(4,'2026-12-02 01:43:45.000000','root','python -m icrctl member add','create','GO-2026-014','member','born,key,name,role','b59850b3df7c78fc1a2b0318b625e8bc10f2264a242c61f5af254295703a96f0','ded16c22749e90c74dfd7df9a7a3068a636a1400735693c781131aff87dacec5');
INSERT INTO "audit_log" VALUES(5,'2026-12-02 01:43:49.000000','root','python -m icrctl partner add','create',NULL,'partner','key,kind,name,organisation','ded16c22749e90c74dfd7df9a7a3068a636a1400735693c781131aff87dacec5','09bc84c24a4681f4fd6a39b9945d3533009b95a90f00580f2c04e007adaf54f0');
INSERT INTO "audit_log" VALUES(6,'2026-12-02 01:43:52.000000','root','python -m icrctl partner link','create','GO-2026-014','case_partner','consent,role','09bc84c24a4681f4fd6a39b9945d3533009b95a90f00580f2c04e007adaf54f0','665e2128e468866b9b94486f4d33a0618a807df4058ec720d27fbc23e6e2bc38');
INSERT INTO "audit_log" VALUES(7,'2026-12-02 01:43:55.000000','root','python -m icrctl case create','create','GO-2026-015','case','opened,phase,ref,title','665e2128e468866b9b94486f4d33a0618a807df4058ec720d27fbc23e6e2bc38','ed55fce711c91fe913316372b6b593e1a84e67bd9e3a1f5be5e1af170fa2d521');
INSERT INTO "audit_log" VALUES(8,'2026-12-02 01:43:58.000000','root','python -m icrctl member add','create','GO-2026-015','member','born,key,name,role','ed55fce711c91fe913316372b6b593e1a84e67bd9e3a1f5be5e1af170fa2d521','ec6432d664b98ec13f57fbc561be109f2c971289c8f1d11d71caa385945e67b3');
INSERT INTO "audit_log" VALUES(9,'2026-12-02 01:44:09.000000','jüri','python -m icrctl phase set','update','GO-2026-014','case','phase','ec6432d664b98ec13f57fbc561be109f2c971289c8f1d11d71caa385945e67b3','bdee576289a9faf5d817a7f5bc88b75d470512df3e323ec9a2f5dc17c32a1952');
INSERT INTO "audit_log" VALUES(10,'2026-12-02 01:44:11.000000','jüri','python -m icrctl member edit','update','GO-2026-014','member','phone','bdee576289a9faf5d817a7f5bc88b75d470512df3e323ec9a2f5dc17c32a1952','775133bf37c4ae7d6f017ce81684a324585c77a6e29671fdb370d0dc0c0e053a');
INSERT INTO "audit_log" VALUES(11,'2026-12-02 01:44:16.000000','root','python -m icrctl eval schedule','create','GO-2026-014','evaluation_series','attendees,every,start,time,until,weekday','775133bf37c4ae7d6f017ce81684a324585c77a6e29671fdb370d0dc0c0e053a','288f5fe4c6ddf0ebb519cf25ffb5708aa5fd26e8c341972dca1fa4788167cf54');
INSERT INTO "audit_log" VALUES(12,'2026-12-02 01:44:23.000000','root','python -m icrctl eval record','create','GO-2026-014','meeting','attendance,note,risk,self_reliance,status','288f5fe4c6ddf0ebb519cf25ffb5708aa5fd26e8c341972dca1fa4788167cf54','fedd44cb4936d4197788d0c697938c4968596a356ce671b3a154a16f19dfcdb3');
INSERT INTO "audit_log" VALUES(13,'2026-12-02 01:44:25.000000','root','python -m icrctl member remove','delete','GO-2026-015','member','key','fedd44cb4936d4197788d0c697938c4968596a356ce671b3a154a16f19dfcdb3','d767845a1e0def415554c41a6c2a749469ff6b3d31f971fb0c4749d24c810c02');
CREATE TABLE case_events (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	date DATE NOT NULL, 
	kind VARCHAR(30) NOT NULL, 
	old TEXT, 
	new TEXT, 
	reason TEXT, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_case_events PRIMARY KEY (id), 
	CONSTRAINT fk_case_events_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE TABLE case_partners (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	partner_id INTEGER NOT NULL, 
	role TEXT, 
	consent BOOLEAN NOT NULL, 
	coordination TEXT, 
	CONSTRAINT pk_case_partners PRIMARY KEY (id), 
	CONSTRAINT fk_case_partners_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_case_partners_partner_id_partners FOREIGN KEY(partner_id) REFERENCES partners (id) ON DELETE RESTRICT, 
	CONSTRAINT uq_case_partners UNIQUE (case_id, partner_id)
);
INSERT INTO "case_partners" VALUES(1,1,1,'veiligheidsplan',1,NULL);
CREATE TABLE cases (
	id INTEGER NOT NULL, 
	ref VARCHAR(64) NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	opened DATE NOT NULL, 
	closed DATE, 
	stage VARCHAR(20) NOT NULL, 
	phase INTEGER NOT NULL, 
	framework VARCHAR(20) NOT NULL, 
	regie VARCHAR(20) NOT NULL, 
	regisseur VARCHAR(200), 
	referrer TEXT, 
	violence JSON NOT NULL, 
	domains JSON NOT NULL, 
	plan_signed DATE, 
	closing_summary TEXT, 
	closing_safety TEXT, 
	retention_until DATE, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_cases PRIMARY KEY (id), 
	CONSTRAINT ck_cases_phase_range CHECK (phase BETWEEN 1 AND 4), 
	CONSTRAINT uq_cases_ref UNIQUE (ref)
);
INSERT INTO "cases" VALUES(1,'GO-2026-014','Familie De Vries','2026-03-02',NULL,'inventory',3,'voluntary','professional','A. Jansen','Veilig Thuis','[]','[]',NULL,NULL,NULL,NULL,'2026-12-02 01:43:37.000000','2026-12-02 01:44:09.000000');
INSERT INTO "cases" VALUES(2,'GO-2026-015','Familie Çelik','2026-04-01',NULL,'inventory',1,'voluntary','professional',NULL,NULL,'[]','[]',NULL,NULL,NULL,NULL,'2026-12-02 01:43:55.000000','2026-12-02 01:43:55.000000');
CREATE TABLE checklist_items (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	phase_change_id INTEGER, 
	track VARCHAR(20) NOT NULL, 
	item VARCHAR(40) NOT NULL, 
	done_at DATETIME, 
	CONSTRAINT pk_checklist_items PRIMARY KEY (id), 
	CONSTRAINT fk_checklist_items_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_checklist_items_phase_change_id_phase_changes FOREIGN KEY(phase_change_id) REFERENCES phase_changes (id) ON DELETE SET NULL
);
CREATE TABLE contact_people (
	id INTEGER NOT NULL, 
	contact_id INTEGER NOT NULL, 
	member_id INTEGER, 
	partner_id INTEGER, 
	CONSTRAINT pk_contact_people PRIMARY KEY (id), 
	CONSTRAINT ck_contact_people_one_person CHECK ((member_id IS NULL) <> (partner_id IS NULL)), 
	CONSTRAINT fk_contact_people_contact_id_contacts FOREIGN KEY(contact_id) REFERENCES contacts (id) ON DELETE CASCADE, 
	CONSTRAINT fk_contact_people_member_id_members FOREIGN KEY(member_id) REFERENCES members (id) ON DELETE CASCADE, 
	CONSTRAINT fk_contact_people_partner_id_partners FOREIGN KEY(partner_id) REFERENCES partners (id) ON DELETE CASCADE
);
CREATE TABLE contacts (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	date DATE NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	note TEXT NOT NULL, 
	signal BOOLEAN NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_contacts PRIMARY KEY (id), 
	CONSTRAINT fk_contacts_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE TABLE evaluation_series (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	every VARCHAR(4) NOT NULL, 
	weekday VARCHAR(3), 
	time VARCHAR(5) NOT NULL, 
	start DATE NOT NULL, 
	until DATE, 
	stopped_from DATE, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_evaluation_series PRIMARY KEY (id), 
	CONSTRAINT fk_evaluation_series_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
INSERT INTO "evaluation_series" VALUES(1,1,'2w',NULL,'10:00','2026-11-02',NULL,NULL,'2026-12-02 01:44:16.000000');
CREATE TABLE goals (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	goal TEXT NOT NULL, 
	who TEXT, 
	what TEXT, 
	due DATE, 
	status VARCHAR(20) NOT NULL, 
	status_date DATE NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_goals PRIMARY KEY (id), 
	CONSTRAINT fk_goals_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT uq_goals_case_number UNIQUE (case_id, number)
);
CREATE TABLE meetings (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	series_id INTEGER, 
	date DATE NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	time VARCHAR(5), 
	moved_to DATE, 
	moved_time VARCHAR(5), 
	reason TEXT, 
	risk INTEGER, 
	self_reliance INTEGER, 
	note TEXT, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_meetings PRIMARY KEY (id), 
	CONSTRAINT ck_meetings_risk_range CHECK (risk IS NULL OR risk BETWEEN 1 AND 5), 
	CONSTRAINT ck_meetings_self_reliance_range CHECK (self_reliance IS NULL OR self_reliance BETWEEN 1 AND 5), 
	CONSTRAINT fk_meetings_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_meetings_series_id_evaluation_series FOREIGN KEY(series_id) REFERENCES evaluation_series (id) ON DELETE SET NULL
);
INSERT INTO "meetings" VALUES(1,1,1,'2026-11-16','held',NULL,NULL,NULL,NULL,3,2,'Gesprek verliep rustig','2026-12-02 01:44:23.000000');
CREATE TABLE member_relations (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	from_member_id INTEGER NOT NULL, 
	to_member_id INTEGER NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	CONSTRAINT pk_member_relations PRIMARY KEY (id), 
	CONSTRAINT ck_member_relations_not_self CHECK (from_member_id <> to_member_id), 
	CONSTRAINT fk_member_relations_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT fk_member_relations_from_member_id_members FOREIGN KEY(from_member_id) REFERENCES members (id) ON DELETE CASCADE, 
	CONSTRAINT fk_member_relations_to_member_id_members FOREIGN KEY(to_member_id) REFERENCES members (id) ON DELETE CASCADE, 
	CONSTRAINT uq_member_relations UNIQUE (from_member_id, to_member_id, kind)
);
CREATE TABLE members (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	born DATE, 
	role VARCHAR(20) NOT NULL, 
	household BOOLEAN NOT NULL, 
	phone VARCHAR(64), 
	email VARCHAR(200), 
	CONSTRAINT pk_members PRIMARY KEY (id), 
	CONSTRAINT fk_members_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	CONSTRAINT uq_members_case_key UNIQUE (case_id, "key")
);
INSERT INTO "members" VALUES(1,1,'m1','Sanne de Vries','1988-05-14','victim',1,NULL,NULL);
INSERT INTO "members" VALUES(2,1,'m2','Peter de Vries',NULL,'perpetrator',0,'06-12345678',NULL);
INSERT INTO "members" VALUES(3,1,'m3','Noor de Vries','2019-06-01','child',1,NULL,NULL);
CREATE TABLE partners (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	organisation VARCHAR(200) NOT NULL, 
	kind VARCHAR(30) NOT NULL, 
	email VARCHAR(200), 
	phone VARCHAR(64), 
	reachable JSON NOT NULL, 
	CONSTRAINT pk_partners PRIMARY KEY (id), 
	CONSTRAINT uq_partners_key UNIQUE ("key")
);
INSERT INTO "partners" VALUES(1,'vt-bakker','J. Bakker','Veilig Thuis Rotterdam Rijnmond','veilig_thuis',NULL,NULL,'[]');
CREATE TABLE phase_changes (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	date DATE NOT NULL, 
	phase INTEGER NOT NULL, 
	reason TEXT NOT NULL, 
	track VARCHAR(20), 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_phase_changes PRIMARY KEY (id), 
	CONSTRAINT ck_phase_changes_phase_range CHECK (phase BETWEEN 1 AND 4), 
	CONSTRAINT fk_phase_changes_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
INSERT INTO "phase_changes" VALUES(1,1,'2026-03-02',2,'case opened',NULL,'2026-12-02 01:43:37.000000');
INSERT INTO "phase_changes" VALUES(2,2,'2026-04-01',1,'case opened',NULL,'2026-12-02 01:43:55.000000');
INSERT INTO "phase_changes" VALUES(3,1,'2026-11-25',3,'Afspraken niet nagekomen — ‘escalatie’',NULL,'2026-12-02 01:44:09.000000');
CREATE TABLE series_attendees (
	id INTEGER NOT NULL, 
	series_id INTEGER NOT NULL, 
	member_id INTEGER, 
	partner_id INTEGER, 
	CONSTRAINT pk_series_attendees PRIMARY KEY (id), 
	CONSTRAINT ck_series_attendees_one_person CHECK ((member_id IS NULL) <> (partner_id IS NULL)), 
	CONSTRAINT fk_series_attendees_member_id_members FOREIGN KEY(member_id) REFERENCES members (id) ON DELETE CASCADE, 
	CONSTRAINT fk_series_attendees_partner_id_partners FOREIGN KEY(partner_id) REFERENCES partners (id) ON DELETE CASCADE, 
	CONSTRAINT fk_series_attendees_series_id_evaluation_series FOREIGN KEY(series_id) REFERENCES evaluation_series (id) ON DELETE CASCADE
);
INSERT INTO "series_attendees" VALUES(1,1,1,NULL);
INSERT INTO "series_attendees" VALUES(2,1,NULL,1);
CREATE TABLE stage_changes (
	id INTEGER NOT NULL, 
	case_id INTEGER NOT NULL, 
	date DATE NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	reason TEXT, 
	recorded_at DATETIME NOT NULL, 
	CONSTRAINT pk_stage_changes PRIMARY KEY (id), 
	CONSTRAINT fk_stage_changes_case_id_cases FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
INSERT INTO "stage_changes" VALUES(1,1,'2026-03-02','inventory',NULL,'2026-12-02 01:43:37.000000');
INSERT INTO "stage_changes" VALUES(2,2,'2026-04-01','inventory',NULL,'2026-12-02 01:43:55.000000');
CREATE INDEX ix_audit_log_ref ON audit_log (ref);
CREATE INDEX ix_cases_phase ON cases (phase);
CREATE INDEX ix_cases_regisseur ON cases (regisseur);
CREATE INDEX ix_cases_stage ON cases (stage);
CREATE INDEX ix_partners_name_org ON partners (name, organisation);
CREATE INDEX ix_case_events_case_id ON case_events (case_id);
CREATE INDEX ix_case_partners_partner_id ON case_partners (partner_id);
CREATE INDEX ix_contacts_case_date ON contacts (case_id, date);
CREATE INDEX ix_evaluation_series_case_id ON evaluation_series (case_id);
CREATE INDEX ix_phase_changes_case_date ON phase_changes (case_id, date, id);
CREATE INDEX ix_stage_changes_case_date ON stage_changes (case_id, date, id);
CREATE INDEX ix_checklist_items_case_id ON checklist_items (case_id);
CREATE INDEX ix_contact_people_contact_id ON contact_people (contact_id);
CREATE INDEX ix_contact_people_member_id ON contact_people (member_id);
CREATE INDEX ix_meetings_case_date ON meetings (case_id, date);
CREATE INDEX ix_meetings_series_id ON meetings (series_id);
CREATE INDEX ix_member_relations_case_id ON member_relations (case_id);
CREATE INDEX ix_member_relations_to_member_id ON member_relations (to_member_id);
CREATE INDEX ix_series_attendees_member_id ON series_attendees (member_id);
CREATE INDEX ix_series_attendees_series_id ON series_attendees (series_id);
CREATE INDEX ix_attendance_meeting_id ON attendance (meeting_id);
CREATE INDEX ix_attendance_member_id ON attendance (member_id);
COMMIT;
