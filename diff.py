import re,sys
def load(f):
    d={}
    for line in open(f):
        m=re.match(r'\s*([\d,]+) \([^)]*\)\s+(?:\*\s+)?(.*)',line)
        if m:
            n=int(m.group(1).replace(',',''))
            name=m.group(2)
            name=re.sub(r'^\S+?:','',name,count=1)
            d[name]=d.get(name,0)+n
    return d
ext=sys.argv[1]; per=float(sys.argv[2]); top=int(sys.argv[3])
a=load('a.'+ext); b=load('b.'+ext)
diff=sorted([(b.get(k,0)-a.get(k,0),k) for k in set(a)|set(b)],reverse=True)
for n,k in diff[:top]:
    if 'rayon' in k or 'thread' in k : continue
    print(f"{n/per/1e6:8.2f}M  {k[:170]}")
