// Material for MkDocs' storage helpers (its partials/javascripts/base.html), as a file instead of
// an inline script on every page: ~290 bytes less per page and no inline script for the
// Content-Security-Policy to allow. The scope is mkdocs.yml's `extra.scope` ("/").
__md_scope=new URL("/",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
