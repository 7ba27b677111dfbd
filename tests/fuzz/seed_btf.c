/* seed_btf.c: compiled with clang -target bpf -g into a small object whose .BTF is a seed for fuzz_btf:
 * the kernel shapes the loader looks into (file.f_path.dentry, dentry.d_name) and every kind clang emits. */

typedef unsigned int u32;
typedef unsigned long long u64;
typedef u32 dev_t;
typedef const volatile dev_t cv_dev_t; /* a typedef/const/volatile chain for btf_resolve */

struct file_operations; /* FWD */

struct super_block {
	cv_dev_t s_dev;
	unsigned long s_blocksize;
};

struct inode {
	unsigned short i_mode;
	unsigned int i_flags : 3, i_state : 5; /* bitfields: kind_flag set */
	unsigned long i_ino;
	struct super_block *i_sb;
	float i_float; /* FLOAT */
	char i_name[16]; /* ARRAY */
};

struct qstr {
	union {
		struct {
			u32 hash;
			u32 len;
		};
		u64 hash_len;
	};
	const unsigned char *name;
};

struct dentry {
	unsigned int d_flags;
	struct qstr d_name;
	struct inode *d_inode;
};

struct path {
	void *mnt;
	struct dentry *dentry;
};

enum rw_hint { WRITE_LIFE_NOT_SET, WRITE_LIFE_NONE, WRITE_LIFE_SHORT, WRITE_LIFE_EXTREME = -1 };

struct file {
	union {
		struct file *f_next;
		unsigned int f_iocb_flags;
	};
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	long (*f_read)(struct file *, char *, unsigned long); /* FUNC_PROTO */
	enum rw_hint f_write_hint;
	volatile long f_count __attribute__((btf_decl_tag("counter")));
};

/* By value, so each struct is emitted whole rather than as a FWD; VARs and DATASECs. */
struct file seed_file __attribute__((section(".data.seed")));
struct dentry seed_dentry __attribute__((section(".data.seed")));
struct inode seed_inode __attribute__((section(".data.seed")));
char __attribute__((btf_type_tag("user"))) *seed_user_ptr; /* TYPE_TAG */
int seed_counter;

__attribute__((noinline)) long vfs_read(struct file *file, char *restrict buf, unsigned long count,
					long long *pos)
{
	seed_counter += (int)count;
	return file->f_inode->i_sb->s_dev + (long)buf[0] + (pos ? *pos : 0);
}

__attribute__((section("kprobe/vfs_read"), used)) int probe(struct file *f)
{
	return (int)vfs_read(f, (char *)f, 1, 0);
}

char seed_license[] __attribute__((section("license"), used)) = "GPL";
