/*
 * gen.c - deterministic generator of labour-dispute case records for the
 * benchmark (bench/run.sh).  Not part of onedoor; no onedoor headers.
 *
 *   gen -n N --intake              intake CSV with Chinese headers, as a
 *                                  station's platform exports it
 *   gen -n N --store               a store: JSON-lines case records as
 *                                  onedoor writes them, two in three of
 *                                  them in later states (routed ... closed)
 *   gen -n N --store --all-new     the same cases, all still new: the
 *                                  store case-add makes of the intake
 *   gen -n N --mediate-events      CSV id,at,outcome,amount,by for ~10 % of
 *                                  the store's cases (routed or mediating)
 *   gen -n N --confirm-events      CSV id,court,ruling,at for ~10 % of the
 *                                  store's cases (agreed ones)
 *   options: --seed S (default 20240101), --from I and --count C (print
 *   records I+1 .. I+C of the N, for sharding; headers only when I = 0)
 *
 * Every record is a pure function of (seed, N, its index): each record
 * seeds its own splitmix64 stream, so the modes agree with each other (the
 * store's record k is intake row k, the events name the store's ids and
 * suit each case's state) and output is byte-identical on every machine.
 * No floating point and no rand().
 *
 * Identifiers are valid: resident id numbers carry a real area code, a
 * real birth date (1960-2004) and the ISO 7064 MOD 11-2 check character;
 * unified social credit codes (GB 32100) carry a real area code, an
 * organisation code with its GB 11714 check character and the mod-31 check
 * character.  Output goes through one large buffer: about 1,000,000 store
 * records a second.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output ---------------------------------------------------------- */

static char obuf[1 << 20];
static size_t olen;

static void oflush(void)
{
	if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
		perror("gen: write");
		exit(2);
	}
	olen = 0;
}

static void put(const char *s, size_t n)
{
	if (olen + n > sizeof obuf)
		oflush();
	memcpy(obuf + olen, s, n);
	olen += n;
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

static void putc_(char c)
{
	if (olen == sizeof obuf)
		oflush();
	obuf[olen++] = c;
}

/* Unsigned decimal, at least width digits (zero padded). */
static void putu(unsigned long long v, int width)
{
	char t[24];
	int n = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		t[n++] = '0';
	while (n)
		putc_(t[--n]);
}

/* Into a small string buffer: used to build names, ids, summaries. */
struct sb {
	char *p;
	size_t n, cap;
};

static void sb_puts(struct sb *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k >= b->cap)
		k = b->cap - 1 - b->n;
	memcpy(b->p + b->n, s, k);
	b->n += k;
	b->p[b->n] = '\0';
}

static void sb_putu(struct sb *b, unsigned long long v, int width)
{
	char t[24], r[24];
	int n = 0, i = 0;

	do {
		t[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		t[n++] = '0';
	while (n)
		r[i++] = t[--n];
	r[i] = '\0';
	sb_puts(b, r);
}

/* Fen as yuan: the shortest exact form ("3803.5", "12000", "0.05"). */
static void sb_money(struct sb *b, long long fen)
{
	sb_putu(b, (unsigned long long)(fen / 100), 1);
	if (fen % 100) {
		int f = (int)(fen % 100);
		char d[4];

		d[0] = '.';
		d[1] = (char)('0' + f / 10);
		d[2] = (char)('0' + f % 10);
		d[3] = '\0';
		if (d[2] == '0')
			d[2] = '\0';
		sb_puts(b, d);
	}
}

/* Fen as yuan with two decimals and thousands separators: "3,803.50". */
static void sb_money_grouped(struct sb *b, long long fen)
{
	char t[32];
	int n = 0, k = 0;
	unsigned long long y = (unsigned long long)(fen / 100);

	do {
		if (k && k % 3 == 0)
			t[n++] = ',';
		t[n++] = (char)('0' + y % 10);
		y /= 10;
		k++;
	} while (y);
	while (n) {
		char c[2] = { t[--n], '\0' };
		sb_puts(b, c);
	}
	sb_puts(b, ".");
	sb_putu(b, (unsigned long long)(fen % 100), 2);
}

/* ---- randomness ------------------------------------------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((splitmix(s) >> 32) * (uint64_t)n) >> 32);
}

/* Index drawn from integer weights. */
static int pick(uint64_t *s, const int *w, int n)
{
	int tot = 0, i;
	uint32_t r;

	for (i = 0; i < n; i++)
		tot += w[i];
	r = below(s, (uint32_t)tot);
	for (i = 0; i < n; i++) {
		if (r < (uint32_t)w[i])
			return i;
		r -= (uint32_t)w[i];
	}
	return n - 1;
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- vocabulary -------------------------------------------------------- */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
	"马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
	"唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
	"任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
	"邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺",
	"顾", "毛", "郝", "龚", "邵", "万", "覃", "武", "戴", "莫", "孔", "欧阳",
};
/* The first dozen surnames cover about 40 % of people: draw them more. */
#define COMMON_SURNAMES 12

static const char *const male[] = {
	"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平",
	"辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊",
	"建国", "建华", "志强", "志明", "国平", "海波", "文斌", "永刚", "春生",
	"德明", "家豪", "子豪", "宇航", "浩然", "俊杰", "金龙", "德华", "红军",
	"小龙", "大伟", "立新", "卫东", "振华", "国庆", "宏伟", "海涛",
};
static const char *const female[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪",
	"琳", "洁", "红", "梅", "莉", "慧", "颖", "倩", "秀英", "秀兰", "桂英",
	"玉兰", "丽娟", "晓燕", "春梅", "海燕", "美玲", "雪梅", "婷婷", "欣怡",
	"佳琪", "思雨", "梦琪", "淑珍", "凤英", "小红", "秀珍", "桂兰",
};

/* Real county-level area codes (GB/T 2260), many in labour-exporting
 * provinces, for resident id numbers. */
static const char *const areas[] = {
	"440784", "440306", "440304", "440106", "440983", "441581", "445281",
	"430521", "430181", "431021", "431121", "511322", "510722", "511623",
	"513721", "500235", "500101", "410523", "411421", "412722", "411522",
	"421023", "420984", "421182", "360121", "360731", "362430", "340826",
	"341203", "341621", "452226", "450881", "450821", "522121", "520221",
	"530381", "350128", "350583", "350702", "610524", "620422", "370882",
	"320324", "330481", "130125", "140723", "230523", "220182", "150429",
	"110105", "310115", "120104", "460106", "640122",
};

/* Where employers are registered (city-level codes for credit codes). */
static const char *const cities[] = {
	"440300", "440100", "440600", "441900", "350100", "350200", "330100",
	"320500", "310000", "110000",
};
static const char *const city_names[] = {
	"深圳市", "广州市", "佛山市", "东莞市", "福州市", "厦门市", "杭州市",
	"苏州市", "上海", "北京",
};

static const char *const brand1[] = {
	"宏", "华", "鑫", "恒", "盛", "泰", "丰", "德", "嘉", "信", "达", "源",
	"瑞", "兴", "隆", "新", "金", "永", "昌", "博", "富", "中", "建", "广",
	"海", "天", "东", "顺", "联", "创",
};
static const char *const brand2[] = {
	"达", "远", "泰", "盛", "兴", "发", "安", "旺", "通", "宇", "利", "成",
	"业", "辉", "诚", "祥", "和", "润", "航", "城", "邦", "科", "峰", "晟",
};
/* Construction trades first (index < NCONSTR): construction-wage cases
 * come from them. */
static const char *const trades[] = {
	"建筑工程", "建设工程", "建筑劳务", "装饰工程", "市政工程", "机电安装工程",
	"电子科技", "制衣", "物流", "餐饮管理", "物业管理", "家具制造", "五金制品",
	"塑胶制品", "商贸", "人力资源服务", "保安服务", "食品", "模具", "印刷",
	"汽车配件", "网络科技", "酒店管理", "包装材料",
};
#define NCONSTR 6

static const char *const grids[] = {
	"科技园网格", "新城网格", "滨江网格", "老街网格", "工业园网格",
};

static const char *const projects[] = {
	"滨江花园", "科创中心", "人才公寓", "地铁站配套", "城市更新", "产业园三期",
	"安置房", "学校扩建", "市政道路", "综合体",
};
static const char *const jobs[] = {
	"操作工", "保安", "厨师", "司机", "仓管员", "普工", "质检员", "电工",
	"销售", "文员", "保洁员", "焊工",
};
static const char *const mediators[] = {
	"陈建华", "李秀兰", "王志强", "张丽娟", "刘国平", "黄晓燕", "周文斌",
	"吴春梅",
};

enum { CH_WALKIN, CH_ONLINE, CH_HOTLINE, CH_WARNING, CH_GRID, CH_REFERRAL };
static const char *const channels[] = {
	"walk-in", "online", "hotline", "warning", "grid", "referral",
};
static const char *const channels_zh[] = {
	"窗口", "线上", "热线", "预警", "网格", "110",
};
static const int channel_w[] = { 25, 45, 12, 6, 7, 5 };

enum { TY_WAGE, TY_CONSTR, TY_SOCIAL, TY_INJURY, TY_TERM, TY_CONTRACT,
	TY_OTHER };
static const char *const types[] = {
	"wage-arrears", "construction-wage", "social-insurance", "work-injury",
	"termination", "contract", "other",
};
static const char *const types_zh[] = {
	"欠薪", "工程款", "社保", "工伤", "解除", "劳动合同", "其他",
};
static const int type_w[] = { 38, 20, 10, 8, 12, 7, 5 };

enum { ST_NEW, ST_ROUTED, ST_MEDIATING, ST_AGREED, ST_CONFIRMED, ST_FAILED,
	ST_CLOSED };
static const char *const statuses[] = {
	"new", "routed", "mediating", "agreed", "confirmed", "failed", "closed",
};
static const int status_w[] = { 34, 18, 17, 11, 5, 3, 12 };

enum { RS_PERFORMED, RS_WITHDRAWN, RS_REFERRED, RS_ESCALATED };
static const char *const resolutions[] = {
	"performed", "withdrawn", "referred", "escalated",
};
static const int resolution_w[] = { 60, 25, 10, 5 };

/* ---- employers ------------------------------------------------------- */

#define NEMP 400

struct employer {
	char name[96];
	char code[19];
	int grid;
	int construction;
	char shortname[16];	/* the brand, for summaries */
};

static struct employer emp[NEMP];
static int constr_idx[NEMP], nconstr;

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_val(char c)
{
	const char *p = strchr(uscc_set, c);

	return p ? (int)(p - uscc_set) : -1;
}

static char uscc_check(const char *s17)
{
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
		8, 24, 10, 30, 28 };
	int sum = 0, i, c;

	for (i = 0; i < 17; i++)
		sum += uscc_val(s17[i]) * w[i];
	c = 31 - sum % 31;
	return uscc_set[c == 31 ? 0 : c];
}

/* GB 11714 organisation code check character over 8 characters. */
static char org_check(const char *s8)
{
	static const int w[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0, i, c;

	for (i = 0; i < 8; i++) {
		int v = s8[i] >= 'A' ? s8[i] - 'A' + 10 : s8[i] - '0';
		sum += v * w[i];
	}
	c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

static void make_employers(uint64_t seed)
{
	uint64_t s = seed ^ 0x454D504C4F594552ULL;	/* "EMPLOYER" */
	int i, j;

	for (i = 0; i < NEMP; i++) {
		struct employer *e = &emp[i];
		struct sb b = { e->name, 0, sizeof e->name };
		struct sb sn = { e->shortname, 0, sizeof e->shortname };
		int city = (int)below(&s, NELEM(cities));
		int tr, again;

		/* about a third of employers build things */
		tr = below(&s, 3) == 0 ? (int)below(&s, NCONSTR)
		    : NCONSTR + (int)below(&s, NELEM(trades) - NCONSTR);
		do {
			e->name[0] = '\0';
			b.n = 0;
			sn.n = 0;
			e->shortname[0] = '\0';
			sb_puts(&sn, brand1[below(&s, NELEM(brand1))]);
			sb_puts(&sn, brand2[below(&s, NELEM(brand2))]);
			sb_puts(&b, city_names[city]);
			sb_puts(&b, e->shortname);
			sb_puts(&b, trades[tr]);
			sb_puts(&b, "有限公司");
			again = 0;
			for (j = 0; j < i; j++)
				if (strcmp(emp[j].name, e->name) == 0)
					again = 1;
		} while (again);
		e->construction = tr < NCONSTR;
		e->grid = i % NELEM(grids);
		if (e->construction)
			constr_idx[nconstr++] = i;

		/* 9 (industry and commerce) 1 (enterprise), area, org code */
		memcpy(e->code, "91", 2);
		memcpy(e->code + 2, cities[city], 6);
		if (below(&s, 2)) {	/* newer codes: MA + 6 characters */
			e->code[8] = 'M';
			e->code[9] = 'A';
			for (j = 10; j < 16; j++)
				e->code[j] = uscc_set[below(&s, 31)];
			/* the GB 11714 check must be one of the set, 0-9 or X */
		} else {
			for (j = 8; j < 16; j++)
				e->code[j] = (char)('0' + below(&s, 10));
		}
		e->code[16] = org_check(e->code + 8);
		e->code[17] = uscc_check(e->code);
		e->code[18] = '\0';
	}
}

/* Employers are not equally litigious: a skewed pick. */
static int pick_employer(uint64_t *s, int construction)
{
	uint32_t a = below(s, 1000), b = below(s, 1000);
	uint32_t r = a * b / 1000;	/* skewed towards 0 */

	if (construction && nconstr)
		return constr_idx[r * (uint32_t)nconstr / 1000];
	return (int)(r * NEMP / 1000);
}

/* ---- time ------------------------------------------------------------ */

/* Minutes since 2024-01-01T00:00 (+08:00), printed as a civil time. */
struct civil {
	int y, m, d, hh, mi;
};

static struct civil civil_of(long minutes)
{
	/* days since 1970-01-01; 2024-01-01 is day 19723 */
	long z = 19723 + minutes / 1440 + 719468;
	long era = z / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	struct civil c;

	c.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	c.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	c.y = (int)(yoe + era * 400 + (c.m <= 2));
	c.hh = (int)(minutes % 1440 / 60);
	c.mi = (int)(minutes % 60);
	return c;
}

/* "2024-03-05 09:30" as a spreadsheet export shows it */
static void sb_time_plain(struct sb *b, long minutes)
{
	struct civil c = civil_of(minutes);

	sb_putu(b, (unsigned)c.y, 4);
	sb_puts(b, "-");
	sb_putu(b, (unsigned)c.m, 2);
	sb_puts(b, "-");
	sb_putu(b, (unsigned)c.d, 2);
	sb_puts(b, " ");
	sb_putu(b, (unsigned)c.hh, 2);
	sb_puts(b, ":");
	sb_putu(b, (unsigned)c.mi, 2);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int mdays(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* ---- one case -------------------------------------------------------- */

struct kase {
	unsigned long idx;		/* 0-based */
	int channel, type, e, workers, status, resolution, track;
	int wan;			/* intake shows the amount as "1.2万" */
	int grouped;			/* intake shows "3,803.50" */
	long long fen, agreed_fen;
	long t_recv, t_route, t_med, t_agree, t_conf, t_fail, t_close, t_due;
	long t_event;			/* time of this case's event, if any */
	int event_outcome;		/* for --mediate-events */
	int mediator, assignee, priority_key;
	char name[32];
	char idno[19];
	char phone[12];
	char summary[320];
	uint64_t s;			/* the record's own stream, continued */
};

enum { TR_MEDIATION, TR_JOINT, TR_INSPECTION, TR_LEGAL, TR_CONSULT };
static const char *const tracks[] = {
	"mediation", "joint-mediation", "inspection", "legal-aid",
	"consultation",
};
static const char *const desks[] = {
	"调解室", "联合调解室", "劳动监察", "法律援助", "工会咨询",
};

static unsigned long N = 1000000;
static uint64_t seed = 20240101;

static void make_idno(struct kase *k, int is_male)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
		8, 4, 2 };
	static const char chk[] = "10X98765432";
	const char *a = areas[below(&k->s, NELEM(areas))];
	int y = 1960 + (int)below(&k->s, 45);
	int m = 1 + (int)below(&k->s, 12);
	int d = 1 + (int)below(&k->s, (uint32_t)mdays(y, m));
	int seq = (int)below(&k->s, 500) * 2 + (is_male ? 1 : 0);
	int i, sum = 0;
	struct sb b = { k->idno, 0, sizeof k->idno };

	sb_puts(&b, a);
	sb_putu(&b, (unsigned)y, 4);
	sb_putu(&b, (unsigned)m, 2);
	sb_putu(&b, (unsigned)d, 2);
	sb_putu(&b, (unsigned)seq, 3);
	for (i = 0; i < 17; i++)
		sum += (k->idno[i] - '0') * w[i];
	k->idno[17] = chk[sum % 11];
	k->idno[18] = '\0';
}

static void make_phone(struct kase *k)
{
	static const char *const pre[] = {
		"130", "131", "132", "133", "135", "136", "137", "138", "139",
		"150", "151", "152", "155", "156", "157", "158", "159", "166",
		"172", "176", "177", "180", "181", "182", "185", "186", "187",
		"188", "189", "191", "193", "195", "198", "199",
	};
	struct sb b = { k->phone, 0, sizeof k->phone };

	sb_puts(&b, pre[below(&k->s, NELEM(pre))]);
	sb_putu(&b, below(&k->s, 100000000), 8);
}

/* Amount per worker in fen: skewed buckets, 800 to 60,000 yuan. */
static long long per_worker(uint64_t *s)
{
	static const int w[] = { 30, 30, 20, 14, 6 };
	static const long long lo[] = { 800, 2000, 5000, 10000, 30000 };
	static const long long hi[] = { 2000, 5000, 10000, 30000, 60000 };
	int b = pick(s, w, NELEM(w));
	long long yuan = lo[b] + below(s, (uint32_t)(hi[b] - lo[b]));
	uint32_t f = below(s, 10);

	/* half whole yuan, some .50-style, some arbitrary fen */
	if (f < 5)
		return yuan * 100;
	if (f < 8)
		return yuan * 100 + below(s, 10) * 10;
	return yuan * 100 + below(s, 100);
}

static void make_summary(struct kase *k)
{
	struct sb b = { k->summary, 0, sizeof k->summary };
	struct civil c = civil_of(k->t_recv);
	int m2 = c.m > 1 ? c.m - 1 : 12;
	int m1 = m2 > 3 ? m2 - (int)below(&k->s, 3) : m2;
	char amt[40];
	struct sb a = { amt, 0, sizeof amt };

	sb_money(&a, k->fen);
	switch (k->type) {
	case TY_WAGE:
		if (k->workers > 1) {
			sb_putu(&b, (unsigned)k->workers, 1);
			sb_puts(&b, "名员工被拖欠");
		} else {
			sb_puts(&b, jobs[below(&k->s, NELEM(jobs))]);
			sb_puts(&b, "被拖欠");
		}
		if (m1 != m2) {
			sb_putu(&b, (unsigned)m1, 1);
			sb_puts(&b, "至");
		}
		sb_putu(&b, (unsigned)m2, 1);
		sb_puts(&b, "月工资");
		sb_puts(&b, amt);
		sb_puts(&b, "元，催讨未果。");
		break;
	case TY_CONSTR:
		sb_puts(&b, projects[below(&k->s, NELEM(projects))]);
		sb_puts(&b, "项目");
		sb_putu(&b, (unsigned)k->workers, 1);
		sb_puts(&b, "名农民工工资");
		sb_puts(&b, amt);
		sb_puts(&b, "元未结清。");
		break;
	case TY_SOCIAL:
		sb_puts(&b, "单位未缴社会保险");
		sb_putu(&b, 1 + below(&k->s, 5), 1);
		sb_puts(&b, "年，要求补缴。");
		break;
	case TY_INJURY:
		sb_puts(&b, jobs[below(&k->s, NELEM(jobs))]);
		sb_puts(&b, "工作中受伤，单位拒绝申报工伤。");
		break;
	case TY_TERM:
		sb_puts(&b, "单位违法解除劳动合同，要求赔偿金");
		sb_puts(&b, amt);
		sb_puts(&b, "元。");
		break;
	case TY_CONTRACT:
		sb_puts(&b, "入职");
		sb_putu(&b, 2 + below(&k->s, 11), 1);
		sb_puts(&b, "个月未签劳动合同，要求二倍工资。");
		break;
	default:
		sb_puts(&b, "加班费及年休假工资未支付。");
		break;
	}
}

/* A time in office hours (08:30-17:30) some days after t, never before
 * it: on the same day (days = 0) it falls between t and 17:30, or the
 * next morning when t is already past closing. */
static long office(uint64_t *s, long t, uint32_t days)
{
	long day = t / 1440 + (long)days, lo = 510, hi = 1050;

	if (days == 0) {
		if (t % 1440 >= hi - 10)
			day++;
		else if (t % 1440 >= lo)
			lo = t % 1440 + 10;
	}
	return day * 1440 + lo + (long)below(s, (uint32_t)(hi - lo));
}

static void make_case(struct kase *k, unsigned long i)
{
	const struct employer *e;
	int is_male, constr, day, start;
	long long fen;

	memset(k, 0, sizeof *k);
	k->idx = i;
	k->s = seed ^ (0xD1B54A32D192ED03ULL * (uint64_t)(i + 1));
	splitmix(&k->s);

	k->channel = pick(&k->s, channel_w, NELEM(channel_w));
	k->type = pick(&k->s, type_w, NELEM(type_w));
	constr = k->type == TY_CONSTR;
	k->e = pick_employer(&k->s, constr);
	e = &emp[k->e];

	/* workers: mostly 1-3, some group cases of 10-60 (more often on
	 * construction sites) */
	{
		uint32_t r = below(&k->s, 100);
		int g = constr ? 30 : 6;

		if (r < (uint32_t)g)
			k->workers = 10 + (int)below(&k->s, 51);
		else if (r < (uint32_t)g + 8)
			k->workers = 4 + (int)below(&k->s, 6);
		else if (r < (uint32_t)g + 20)
			k->workers = 2 + (int)below(&k->s, 2);
		else
			k->workers = 1;
	}
	fen = per_worker(&k->s);
	if (k->workers > 1)
		fen = fen / 100 * 100 * k->workers / (1 + below(&k->s, 2));
	if (fen > 50000000LL)
		fen = 50000000LL - below(&k->s, 100000) * 100;
	if (fen < 80000)
		fen = 80000;
	k->fen = fen;
	{
		uint32_t f = below(&k->s, 100);

		if (f < 5 && fen >= 1000000) {	/* "1.2万": whole thousands */
			k->fen = fen / 100000 * 100000;
			k->wan = 1;
		} else if (f < 35 && fen >= 100000) {
			k->grouped = 1;
		}
	}

	/* received: spread over 2024 in id order, office hours except
	 * online and hotline */
	day = (int)((unsigned long long)i * 366 / N);
	if (k->channel == CH_ONLINE || k->channel == CH_HOTLINE)
		start = (int)below(&k->s, 24 * 60);
	else
		start = 8 * 60 + 30 + (int)below(&k->s, 9 * 60);
	k->t_recv = (long)day * 1440 + start;

	is_male = below(&k->s, 100) < 62;
	{
		struct sb b = { k->name, 0, sizeof k->name };
		uint32_t r = below(&k->s, 100);

		sb_puts(&b, r < 40 ? surnames[below(&k->s, COMMON_SURNAMES)]
		    : surnames[below(&k->s, NELEM(surnames))]);
		if (is_male)
			sb_puts(&b, male[below(&k->s, NELEM(male))]);
		else
			sb_puts(&b, female[below(&k->s, NELEM(female))]);
	}
	make_idno(k, is_male);
	make_phone(k);
	make_summary(k);

	/* the case's life so far */
	k->status = pick(&k->s, status_w, NELEM(status_w));
	k->resolution = pick(&k->s, resolution_w, NELEM(resolution_w));
	k->mediator = (int)below(&k->s, NELEM(mediators));
	k->assignee = 1 + (int)below(&k->s, 12);
	if (constr || k->workers >= 10)
		k->track = TR_JOINT;
	else if (k->type == TY_SOCIAL)
		k->track = TR_INSPECTION;
	else {
		static const int tw[] = { 70, 0, 0, 18, 12 };
		k->track = pick(&k->s, tw, NELEM(tw));
	}
	k->priority_key = k->track == TR_JOINT || k->channel == CH_WARNING;
	/* the desks work office hours */
	k->t_route = office(&k->s, k->t_recv, below(&k->s, 2));
	k->t_due = k->t_route + (k->priority_key ? 1440 : 7 * 1440);
	k->t_med = office(&k->s, k->t_route, 1 + below(&k->s, 3));
	k->t_agree = office(&k->s, k->t_med, 1 + below(&k->s, 6));
	k->t_fail = k->t_agree;
	k->t_conf = office(&k->s, k->t_agree, 3 + below(&k->s, 20));
	k->agreed_fen = k->fen * (60 + below(&k->s, 41)) / 100;
	if (k->status == ST_CLOSED) {
		switch (k->resolution) {
		case RS_PERFORMED:
			k->t_close = office(&k->s, k->t_agree, below(&k->s, 4));
			break;
		case RS_WITHDRAWN:
		case RS_REFERRED:
			k->t_close = office(&k->s, k->t_route, below(&k->s, 4));
			break;
		default:
			k->t_close = office(&k->s, k->t_fail, 1 + below(&k->s, 3));
			break;
		}
	}
	(void)e;
}

/* ---- output modes ---------------------------------------------------- */

static void put_case_id(unsigned long i)
{
	puts_("CASE-2024-");
	putu(i + 1, 6);
}

static void put_source_id(const struct kase *k)
{
	static const char *const pre[] = { "CK", "WS", "RX", "YJ", "WG", "ZJ" };

	puts_(pre[k->channel]);
	puts_("2024");
	putu(k->idx + 1, 7);
}

static void intake_row(const struct kase *k)
{
	char t[64];
	struct sb b = { t, 0, sizeof t };
	const struct employer *e = &emp[k->e];

	put_source_id(k);
	putc_(',');
	puts_(k->name);
	putc_(',');
	puts_(k->idno);
	putc_(',');
	puts_(k->phone);
	putc_(',');
	puts_(e->name);
	putc_(',');
	puts_(e->code);
	putc_(',');
	putu((unsigned)k->workers, 1);
	putc_(',');
	if (k->wan) {		/* 1.2万: tens of thousands, one decimal */
		long long th = k->fen / 100000;	/* thousands of yuan */
		putu((unsigned long long)(th / 10), 1);
		if (th % 10) {
			putc_('.');
			putu((unsigned long long)(th % 10), 1);
		}
		puts_("万");
	} else if (k->grouped) {
		putc_('"');
		sb_money_grouped(&b, k->fen);
		puts_(t);
		putc_('"');
	} else {
		sb_money(&b, k->fen);
		puts_(t);
	}
	putc_(',');
	puts_(types_zh[k->type]);
	putc_(',');
	puts_(channels_zh[k->channel]);
	putc_(',');
	b.n = 0;
	sb_time_plain(&b, k->t_recv);
	puts_(t);
	putc_(',');
	puts_(grids[e->grid]);
	putc_(',');
	puts_(k->summary);
	putc_('\n');
}

static void d2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* "2024-03-05T09:30:00+08:00" straight into the output buffer: the store
 * holds several times per record. */
static void put_time(long minutes)
{
	struct civil c = civil_of(minutes);
	char *p;

	if (olen + 25 > sizeof obuf)
		oflush();
	p = obuf + olen;
	memcpy(p, "2024-01-01T00:00:00+08:00", 25);
	d2(p, c.y / 100);
	d2(p + 2, c.y % 100);
	d2(p + 5, c.m);
	d2(p + 8, c.d);
	d2(p + 11, c.hh);
	d2(p + 14, c.mi);
	olen += 25;
}

static void put_money(long long fen)
{
	char t[40];
	struct sb b = { t, 0, sizeof t };

	sb_money(&b, fen);
	puts_(t);
}

static void put_ruling(const struct kase *k)
{
	puts_("(2024)粤0306民特");
	putu(k->idx % 9000 + 1, 1);
	puts_("号");
}

static void hist(long at, const char *cmd, const char *from, const char *to,
    const char *by, const char *note, int first)
{
	if (!first)
		putc_(',');
	puts_("{\"at\":\"");
	put_time(at);
	puts_("\",\"cmd\":\"");
	puts_(cmd);
	if (from) {
		puts_("\",\"from\":\"");
		puts_(from);
	}
	puts_("\",\"to\":\"");
	puts_(to);
	if (by) {
		puts_("\",\"by\":\"");
		puts_(by);
	}
	if (note) {
		puts_("\",\"note\":\"");
		puts_(note);
	}
	puts_("\"}");
}

static int all_new;	/* --all-new: a store straight out of case-add */

static void store_record(const struct kase *k)
{
	const struct employer *e = &emp[k->e];
	int st = all_new ? ST_NEW : k->status;
	int routed = st != ST_NEW;
	int closed_early = st == ST_CLOSED && (k->resolution == RS_WITHDRAWN
	    || k->resolution == RS_REFERRED);
	int mediated = routed && st != ST_ROUTED && !closed_early;
	int agreed = st == ST_AGREED || st == ST_CONFIRMED
	    || (st == ST_CLOSED && k->resolution == RS_PERFORMED);
	int failed = st == ST_FAILED
	    || (st == ST_CLOSED && k->resolution == RS_ESCALATED);
	int confirmed = st == ST_CONFIRMED;
	const char *med = mediators[k->mediator];
	char note[32];
	struct sb nb = { note, 0, sizeof note };

	puts_("{\"id\":\"");
	put_case_id(k->idx);
	puts_("\",\"source_id\":\"");
	put_source_id(k);
	puts_("\",\"received_at\":\"");
	put_time(k->t_recv);
	puts_("\",\"channel\":\"");
	puts_(channels[k->channel]);
	puts_("\",\"type\":\"");
	puts_(types[k->type]);
	puts_("\",\"claimant\":{\"name\":\"");
	puts_(k->name);
	puts_("\",\"id_no\":\"");
	puts_(k->idno);
	puts_("\",\"phone\":\"");
	puts_(k->phone);
	puts_("\"},\"workers\":");
	putu((unsigned)k->workers, 1);
	puts_(",\"employer\":{\"name\":\"");
	puts_(e->name);
	puts_("\",\"credit_code\":\"");
	puts_(e->code);
	puts_("\"},\"grid\":\"");
	puts_(grids[e->grid]);
	puts_("\",\"amount\":");
	put_money(k->fen);
	puts_(",\"summary\":\"");
	puts_(k->summary);
	puts_("\",\"status\":\"");
	puts_(statuses[st]);
	putc_('"');
	if (routed) {
		puts_(",\"track\":\"");
		puts_(tracks[k->track]);
		puts_("\",\"desk\":\"");
		puts_(desks[k->track]);
		puts_("\",\"assignee\":\"S");
		putu((unsigned)k->assignee, 2);
		puts_("\",\"priority\":\"");
		puts_(k->priority_key ? "key" : "general");
		puts_("\",\"due_at\":\"");
		put_time(k->t_due);
		putc_('"');
	}
	if (agreed) {
		puts_(",\"agreement\":{\"amount\":");
		put_money(k->agreed_fen);
		puts_(",\"at\":\"");
		put_time(k->t_agree);
		puts_("\",\"by\":\"");
		puts_(med);
		puts_("\"}");
	}
	if (confirmed) {
		puts_(",\"confirmation\":{\"court\":\"深圳市宝安区人民法院\",\"ruling\":\"");
		put_ruling(k);
		puts_("\",\"at\":\"");
		put_time(k->t_conf);
		puts_("\"}");
	}
	if (st == ST_CLOSED) {
		puts_(",\"resolution\":\"");
		puts_(resolutions[k->resolution]);
		puts_("\",\"closed_at\":\"");
		put_time(k->t_close);
		putc_('"');
	}

	puts_(",\"history\":[");
	sb_puts(&nb, "intake.csv:");
	sb_putu(&nb, k->idx + 2, 1);
	hist(k->t_recv, "case-add", NULL, "new", NULL, note, 1);
	if (routed)
		hist(k->t_route, "case-route", "new", "routed", NULL,
		    tracks[k->track], 0);
	if (mediated)
		hist(k->t_med, "mediate", "routed", "mediating", med, NULL, 0);
	if (agreed)
		hist(k->t_agree, "mediate", "mediating", "agreed", med, NULL, 0);
	if (failed)
		hist(k->t_fail, "mediate", "mediating", "failed", med, NULL, 0);
	if (confirmed)
		hist(k->t_conf, "confirm", "agreed", "confirmed", NULL, NULL, 0);
	if (st == ST_CLOSED) {
		const char *from = k->resolution == RS_PERFORMED ? "agreed"
		    : k->resolution == RS_ESCALATED ? "failed" : "routed";
		const char *cmd = k->resolution == RS_REFERRED ? "case-route"
		    : k->resolution == RS_ESCALATED ? "case-route" : "mediate";

		hist(k->t_close, cmd, from, "closed", NULL,
		    resolutions[k->resolution], 0);
	}
	puts_("]}\n");
}

/* ~10 % of all cases: two in seven of the routed and mediating ones. */
static int mediate_event(struct kase *k)
{
	static const int ow[] = { 10, 65, 20, 5 };	/* session agreed failed withdrawn */

	if (k->status != ST_ROUTED && k->status != ST_MEDIATING)
		return 0;
	if (below(&k->s, 7) >= 2)
		return 0;
	if (k->status == ST_ROUTED) {
		k->event_outcome = 0;
		k->t_event = office(&k->s, k->t_route, 1 + below(&k->s, 2));
	} else {
		k->event_outcome = pick(&k->s, ow, NELEM(ow));
		k->t_event = office(&k->s, k->t_med, 1 + below(&k->s, 5));
	}
	return 1;
}

static void mediate_row(const struct kase *k)
{
	static const char *const outcomes[] = {
		"session", "agreed", "failed", "withdrawn",
	};

	put_case_id(k->idx);
	putc_(',');
	put_time(k->t_event);
	putc_(',');
	puts_(outcomes[k->event_outcome]);
	putc_(',');
	if (k->event_outcome == 1)
		put_money(k->agreed_fen);
	putc_(',');
	puts_(mediators[k->mediator]);
	putc_('\n');
}

/* ~10 % of all cases: ten in eleven of the agreed ones. */
static int confirm_event(struct kase *k)
{
	if (k->status != ST_AGREED)
		return 0;
	return below(&k->s, 11) != 0;
}

static void confirm_row(const struct kase *k)
{
	put_case_id(k->idx);
	puts_(",深圳市宝安区人民法院,");
	put_ruling(k);
	putc_(',');
	put_time(k->t_conf);
	putc_('\n');
}

/* ---- main ------------------------------------------------------------ */

static int parse_ul(const char *s, unsigned long long *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static void usage(void)
{
	fputs("usage: gen [-n N] [--seed S] [--from I] [--count C]\n"
	    "           --intake | --store [--all-new] | --mediate-events |\n"
	    "           --confirm-events\n",
	    stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	enum { M_NONE, M_INTAKE, M_STORE, M_MED, M_CONF } mode = M_NONE;
	unsigned long long from = 0, count = 0, v;
	int have_count = 0, i;
	unsigned long k;
	struct kase c;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--intake") == 0)
			mode = M_INTAKE;
		else if (strcmp(a, "--store") == 0)
			mode = M_STORE;
		else if (strcmp(a, "--all-new") == 0)
			all_new = 1;
		else if (strcmp(a, "--mediate-events") == 0)
			mode = M_MED;
		else if (strcmp(a, "--confirm-events") == 0)
			mode = M_CONF;
		else if (i + 1 < argc && (strcmp(a, "-n") == 0
		    || strcmp(a, "--seed") == 0 || strcmp(a, "--from") == 0
		    || strcmp(a, "--count") == 0)) {
			if (parse_ul(argv[++i], &v) != 0)
				usage();
			if (a[1] == 'n')
				N = (unsigned long)v;
			else if (a[2] == 's')
				seed = v;
			else if (a[2] == 'f')
				from = v;
			else {
				count = v;
				have_count = 1;
			}
		} else
			usage();
	}
	if (mode == M_NONE || N == 0 || from > N)
		usage();
	if (!have_count || from + count > N)
		count = N - from;

	make_employers(seed);
	if (from == 0) {
		if (mode == M_INTAKE)
			puts_("编号,申请人,身份证号,联系电话,用人单位,统一社会信用代码,"
			    "涉及人数,涉及金额,案由,来源,受理时间,网格,诉求\n");
		else if (mode == M_MED)
			puts_("id,at,outcome,amount,by\n");
		else if (mode == M_CONF)
			puts_("id,court,ruling,at\n");
	}
	for (k = (unsigned long)from; k < from + count; k++) {
		make_case(&c, k);
		switch (mode) {
		case M_INTAKE:
			intake_row(&c);
			break;
		case M_STORE:
			store_record(&c);
			break;
		case M_MED:
			if (mediate_event(&c))
				mediate_row(&c);
			break;
		default:
			if (confirm_event(&c))
				confirm_row(&c);
			break;
		}
	}
	oflush();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: write");
		return 2;
	}
	return 0;
}
